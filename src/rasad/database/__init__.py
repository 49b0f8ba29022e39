"""Cross-document work: the store, merging reports of several articles, review, exports."""
