from django.urls import path

from . import stream, views

urlpatterns = [
    path("notifications/", views.inbox, name="notifications"),
    path("notifications/read-all/", views.read_all, name="notifications-read-all"),
    path("notifications/settings/", views.preferences, name="notification-preferences"),
    path("notifications/<int:pk>/open/", views.open_notification, name="notification-open"),
    path("webhooks/", views.subscription_list, name="webhooks"),
    path("webhooks/<int:pk>/", views.subscription_detail, name="webhook-detail"),
    path("webhooks/<int:pk>/rotate-secret/", views.rotate_secret, name="webhook-rotate-secret"),
    path("webhooks/deliveries/<int:pk>/", views.delivery_detail, name="webhook-delivery"),
    path("webhooks/deliveries/<int:pk>/replay/", views.replay, name="webhook-replay"),
    path("jobs/", views.job_list, name="jobs"),
    path("events/stream/", stream.event_stream, name="event-stream"),
    path("live/", views.live, name="live"),
    path("approvals/", views.approval_list, name="approvals"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval-detail"),
    path("approvals/<int:pk>/cancel/", views.approval_cancel, name="approval-cancel"),
]
