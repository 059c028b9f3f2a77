from django.urls import URLPattern, URLResolver, path

from .views import about, applications, mine, public_list, report, report_place, report_pwa, track

app_name = "citizen"

urlpatterns: list[URLPattern | URLResolver] = []

# Home, report, duplicates at intake, confirmation, the installable app shell (citizen-report).
urlpatterns += [
    path("", report.home, name="home"),
    path("report", report.choose_category, name="report"),
    path("report/place", report_place.check_place, name="report_place"),
    path("report/places.json", report_place.search_places, name="report_places"),
    path("report/support/<str:public_id>", report_place.support, name="report_support"),
    path("report/sent/<str:public_id>", report.confirmation, name="confirmation"),
    path("report/<str:code>", report.report_form, name="report_form"),
    path("offline", report_pwa.offline, name="offline"),
    path("sw.js", report_pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", report_pwa.manifest, name="manifest"),
]

# Track, verified closure, my requests, the public map and list (citizen-track).
urlpatterns += [
    path("requests", public_list.request_list, name="list"),
    path("requests/map.json", public_list.map_markers, name="list_markers"),
    path("requests/<str:public_id>", track.track, name="track"),
    path("requests/<str:public_id>/live", track.track_fragment, name="track_fragment"),
    path("requests/<str:public_id>/closure", track.closure_fragment, name="track_closure"),
    path("requests/<str:public_id>/confirm", track.confirm, name="track_confirm"),
    path("requests/<str:public_id>/reopen", track.reopen, name="track_reopen"),
    path("requests/<str:public_id>/feedback", track.feedback, name="track_feedback"),
    path("my-requests", mine.my_requests, name="mine"),
]

# Applying online for a digital service (cityhall.applications): start, draft, review and sign, follow.
urlpatterns += [
    path("apply", applications.service_list, name="apply_list"),
    path("apply/<slug:code>", applications.service_start, name="apply_start"),
    path("my-applications", applications.my_applications, name="my_applications"),
    path("applications/<str:reference>", applications.application_status, name="application_status"),
    path("applications/<str:reference>/answer", applications.application_answer, name="application_answer"),
    path("applications/<str:reference>/edit", applications.application_edit, name="application_edit"),
    path("applications/<str:reference>/review", applications.application_review, name="application_review"),
    path("applications/<str:reference>/files/<str:file_id>", applications.application_file, name="application_file"),
    path("applications/<str:reference>/decision.pdf", applications.application_decision, name="application_decision"),
]

# What every government site owes its residents, linked from the footer.
urlpatterns += [
    path("contact", about.contact, name="contact"),
    path("privacy", about.privacy, name="privacy"),
    path("accessibility", about.accessibility, name="accessibility"),
    path("robots.txt", about.robots, name="robots"),
]
