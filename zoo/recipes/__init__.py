"""Recipes: each module reproduces one zoo weights file from scratch (``python -m zoo.recipes.NAME``)."""
