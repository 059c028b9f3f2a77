"""Staff views, one module per page family; each is thin: parse, check access, call, render."""
