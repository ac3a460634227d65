/* client: not written yet */
