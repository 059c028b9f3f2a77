"""Photo uploads: turning untrusted images into safe, metadata-free ones."""
