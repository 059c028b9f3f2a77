from django.urls import path

from .views import applications, bulk, data, go, intake, memos, paper, queues, triage, workspace

app_name = "staff"

urlpatterns = [
    path("", queues.home, name="home"),
    path("triage/", queues.triage, name="triage"),
    path("triage/<str:public_id>/", triage.triage_request, name="triage_request"),
    path("new/", intake.log_for_caller, name="log_for_caller"),
    path("paper/", paper.paper_application, name="paper_application"),
    path("departments/", queues.departments, name="departments"),
    path("departments/<int:department_id>/", queues.department, name="department"),
    path("departments/<int:department_id>/bulk", bulk.bulk, name="bulk"),
    path("departments/<int:department_id>/supervisor/", queues.supervisor, name="supervisor_of"),
    path("supervisor/", queues.supervisor, name="supervisor"),
    path("my-work/", queues.my_work, name="my_work"),
    path("go", go.go_to_request, name="go"),
    path("requests/<str:public_id>/", workspace.workspace, name="request"),
    path("requests/<str:public_id>/act", workspace.act, name="act"),
    path("questions", workspace.questions, name="questions"),
    path("memos/", memos.memos, name="memos"),
    path("memos/new", memos.memo_new, name="memo_new"),
    path("memos/<str:number>/", memos.memo, name="memo"),
    path("memos/<str:number>/act", memos.memo_act, name="memo_act"),
    path("applications/", applications.queue, name="applications"),
    path("applications/departments/<int:department_id>/", applications.queue, name="applications_of"),
    path("applications/<str:reference>/", applications.application, name="application"),
    path("applications/<str:reference>/act", applications.act, name="application_act"),
    path("applications/<str:reference>/files/<str:file_id>", applications.application_file, name="application_file"),
    path("data/", data.data, name="data"),
    path("data/<str:dataset_id>/export", data.export, name="data_export"),
]
