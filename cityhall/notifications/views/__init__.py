"""The app's pages: unsubscribe, preferences (with areas and devices), follows, push endpoints, area feeds."""
