# The real broker and workers of the reminder drills, for the job drills.
from tests.test_reminders_services import broker, workers  # noqa: F401
