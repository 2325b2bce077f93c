from certification.urls_records import urlpatterns as records
from certification.urls_workflow import urlpatterns as workflow

app_name = "certification"

urlpatterns = [*workflow, *records]
