"""Who may export what: every dataset is public; the fields the public never sees are the city's, by role."""
