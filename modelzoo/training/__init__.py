"""Training stack: recipes, distributed cosine training, resumable checkpoints, export (python -m modelzoo.training.run)."""
