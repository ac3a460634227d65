/* body: not written yet */
