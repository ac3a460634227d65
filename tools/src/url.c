/* url: not written yet */
