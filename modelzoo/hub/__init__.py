"""Pretrained weights: specs (data), download/cache/verify, key conversion, loading, publishing."""
