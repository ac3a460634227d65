/* multipart: not written yet */
