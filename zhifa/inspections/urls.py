from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="inspections"),
    path("targets/", views.targets, name="inspection-targets"),
    path("targets/new/", views.target_new, name="inspection-target-new"),
    path("targets/import/", views.target_import, name="inspection-target-import"),
    path("targets/<int:pk>/", views.target_detail, name="inspection-target"),
    path("targets/<int:pk>/active/", views.target_active, name="inspection-target-active"),
    path("inspectors/", views.inspectors, name="inspection-inspectors"),
    path("inspectors/eligible/", views.inspectors_eligible, name="inspection-inspectors-eligible"),
    path("inspectors/<int:pk>/remove/", views.inspector_remove, name="inspection-inspector-remove"),
    path("rules/", views.rules, name="inspection-rules"),
    path("plans/", views.plans, name="inspection-plans"),
    path("plans/new/", views.plan_new, name="inspection-plan-new"),
    path("plans/<int:pk>/", views.plan_detail, name="inspection-plan"),
    path("plans/<int:pk>/commit/", views.plan_commit, name="inspection-plan-commit"),
    path("plans/<int:pk>/draw/", views.plan_draw, name="inspection-plan-draw"),
    path("plans/<int:pk>/record.json", views.plan_record, name="inspection-plan-record"),
    path("tasks/", views.tasks, name="inspection-tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="inspection-task"),
    path("tasks/<int:pk>/start/", views.task_start, name="inspection-task-start"),
    path("tasks/<int:pk>/recuse/<int:member_pk>/", views.task_recuse, name="inspection-task-recuse"),
    path("tasks/<int:pk>/qr.svg", views.task_qr, name="inspection-task-qr"),
]
