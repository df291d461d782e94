from django.urls import path

from . import views

urlpatterns = [
    path("", views.task_list, name="review-tasks"),
    path("catalogue/", views.catalogue, name="review-catalogue"),
    path("submit/<int:case_pk>/", views.submit, name="review-submit"),
    path("<int:pk>/", views.task_detail, name="review-task"),
    path("<int:pk>/escalate/", views.escalate, name="review-escalate"),
]
