"""Arabic knowledge: the word lists under `rasad/data/` and the matchers built from them."""
