/* response: not written yet */
