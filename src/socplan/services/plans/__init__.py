"""Plans of events: deadlines, executors, execution control and reports."""

from socplan.services.plans.control import overdue_count

__all__ = ["overdue_count"]
