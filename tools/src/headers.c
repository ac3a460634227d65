/* headers: not written yet */
