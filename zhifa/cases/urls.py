from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.case_open, name="case-open"),
    path("deadlines/", views.deadline_board, name="case-deadlines"),
    path("hearing-thresholds/", views.thresholds, name="case-thresholds"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/move/", views.case_move, name="case-move"),
    path("<int:pk>/proposal/", views.case_proposal, name="case-proposal"),
    path("<int:pk>/choice/", views.case_choice, name="case-choice"),
    path("<int:pk>/major/", views.case_mark, name="case-mark-major"),
    path("<int:pk>/major/remove/", views.case_unmark, name="case-unmark-major"),
    path("<int:pk>/deadlines/pause/", views.case_pause, name="case-deadline-pause"),
    path("<int:pk>/deadlines/resume/", views.case_resume, name="case-deadline-resume"),
    path("<int:pk>/deadlines/extend/", views.case_extend, name="case-deadline-extend"),
    path("<int:pk>/deadlines/request-extension/", views.case_request_extension, name="case-deadline-request-extension"),
    path("<int:pk>/recusal/", views.case_request_recusal, name="case-request-recusal"),
    path("<int:pk>/payments/", views.case_payment, name="case-payment"),
    path("<int:pk>/payment-arrangements/", views.case_arrangement, name="case-payment-arrangement"),
    path("<int:pk>/parties/", views.case_add_party, name="case-add-party"),
]
