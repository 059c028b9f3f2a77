"""The resident's city profile: contact details, saved places, claiming requests, export and deletion (issue 4)."""
