"""The writes of the notifications app: each validates first and writes its own tables only."""
