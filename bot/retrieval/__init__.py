"""Retrieval: question analysis, lexical and dense search, fusion and abstention."""
