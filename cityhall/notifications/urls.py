from django.urls import path

from .views import feeds, follows, preferences, push, unsubscribe

app_name = "notifications"

urlpatterns = [
    path("unsubscribe/<str:token>", unsubscribe.unsubscribe, name="unsubscribe"),
    path("preferences", preferences.preferences, name="preferences"),
    path("preferences/areas", preferences.area_add, name="area_add"),
    path("preferences/areas/<int:alert_id>/remove", preferences.area_remove, name="area_remove"),
    path("preferences/follows/<int:follow_id>/remove", preferences.unfollow, name="unfollow"),
    path("follow", follows.follow, name="follow"),
    path("follow/confirm/<str:token>", follows.follow_confirm, name="follow_confirm"),
    path("follow/stop/<str:token>", follows.follow_stop, name="follow_stop"),
    path("push/subscribe", push.subscribe, name="push_subscribe"),
    path("push/unsubscribe", push.unsubscribe, name="push_unsubscribe"),
    path("areas/zone/<int:zone_id>/feed.atom", feeds.AreaFeed(), name="zone_feed"),
    path("areas/near/feed.atom", feeds.AreaFeed(), name="near_feed"),
]
