from .assessment_urls import urlpatterns as assessment_urlpatterns
from .plan_urls import urlpatterns as plan_urlpatterns

app_name = "risk"
urlpatterns = assessment_urlpatterns + plan_urlpatterns
