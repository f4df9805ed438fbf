"""/reminders: hearing reminders and deadline alerts: list, add, change, stop, delete, .ics file.

Adding is one conversation (flow "reminder", kept in SQLite until it ends): what → for whom →
date → time → place → one confirmation screen; deadlines: which → the date it counts from →
time zone → confirmation. Nothing is stored before "Save". Typed dates go through
core/dates.py (a US-order 01/02/2027 is asked about), typed times through core/times.py.

Callback data: the codecs of handlers/callbacks/reminders.py: "rm" the list, one reminder and
the buttons on alerts (a trailing "a": answer in a new message, keep the alert); "ra" the steps
of the form. Entry points for other features: `start_add_reminder` (or the button
`ReminderNew`) and `start_deadline_alerts` (or `DeadlinesFromArrival`, carrying the arrival
date), for the triage checklist.

Where things are:
- views.py: the list, one reminder in full, the lines that describe a reminder;
- actions.py: the "rm:…" buttons (delete, stop, keep, weekly check, .ics file...);
- form.py: the add/edit conversation: its buttons ("ra:…"), typed answers, saving;
- screens.py: each step's question and buttons; calendar_widget.py: the month calendar;
- core/reminder_form.py: the form itself, pure (next step, the draft, reopening a field);
- common.py: the flow's name, the limit, the store, the clock, a court by id.
To add a reminder kind: core/reminders.py (KINDS), core/reminder_texts.py (its texts), and
for a deadline its question in screens.py (DEADLINE_QUESTIONS).
"""

from handlers.reminders.actions import reminder_pressed
from handlers.reminders.form import flow_pressed, start_add_reminder, start_deadline_alerts
from handlers.reminders.views import reminders_command

__all__ = [
    "flow_pressed",
    "reminder_pressed",
    "reminders_command",
    "start_add_reminder",
    "start_deadline_alerts",
]
