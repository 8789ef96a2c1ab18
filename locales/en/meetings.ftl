## Meetings (issue 6, point 5)

nav-meetings = Meetings
meeting-title = Meetings with organisations
meeting-lead = Meetings of the office with non-governmental organisations. Invitations go out at least 7 days ahead; answering "I will attend / I cannot attend" takes one click in the invitation.
meeting-upcoming = Coming meetings
meeting-past = Past meetings
meeting-none = No meetings are planned.
meeting-online = online
meeting-online-only = Online meeting
meeting-online-link-in-invitation = the link to the online meeting is in the invitation
meeting-status-draft = draft
meeting-status-invited = invitations sent
meeting-status-cancelled = cancelled
meeting-istatus-invited = no answer
meeting-istatus-attending = attending
meeting-istatus-waitlisted = on the waiting list
meeting-istatus-declined = not attending
meeting-seats-left = { $count ->
    [one] 1 place left
   *[other] { $count } places left
}
meeting-minutes-available = minutes available
meeting-cancelled-notice = This meeting has been cancelled.
meeting-field-when = When
meeting-field-place = Place
meeting-field-seats = Free places
meeting-field-online = Online meeting link
meeting-field-invitee = Invited address
meeting-field-your-answer = Answer
meeting-agenda = Agenda
meeting-how-to-answer = The invitation with the answer links comes by e-mail. Members of organisations can also answer after signing in, under "My meetings".
meeting-minutes = Minutes
meeting-answer-title = Answer to the invitation: { $title }
meeting-see-agenda = See the agenda
meeting-answer-question = Will you attend the meeting?
meeting-answer-yes = I will attend
meeting-answer-no = I cannot attend
meeting-field-party = Number of people
meeting-party-hint = Including you, at most { $max }.
meeting-field-comment = Comments (optional)
meeting-comment-hint = For example accessibility needs or a question for the organiser.
meeting-answer-send = Send the answer
meeting-mine-title = My meetings
meeting-mine-lead = Invitations to your address and to your organisations' addresses. You can change your answer until the meeting starts.
meeting-mine-none = You have no meeting invitations.
meeting-answer-link = Answer: { $title }
meeting-panel-title = Meetings
meeting-panel-lead = Meetings with organisations: invitations at least 7 days ahead, answers, attendance list and minutes.
meeting-new-title = New meeting
meeting-edit-title = Edit meeting: { $title }
meeting-edit-invited-hint = Invitations have been sent. If you change the time or the place, the invitees get a message about the change with a new calendar file.
meeting-col-title = Meeting
meeting-col-status = Status
meeting-col-answers = Answers
meeting-col-email = E-mail address
meeting-col-organization = Organisation
meeting-col-party = People
meeting-col-comment = Comments
meeting-col-responded = Answered on
meeting-col-actions = Actions
meeting-col-number = No.
meeting-col-signature = Signature
meeting-answers-short = { $count } people confirmed of { $total } invitations
meeting-field-title = Title
meeting-field-agenda = Agenda
meeting-agenda-hint = Markdown: paragraphs, lists, **bold**, [link](https://…).
meeting-field-date = Date
meeting-field-start = Start
meeting-field-end = End
meeting-place-hint = Address and room; empty if the meeting is online only.
meeting-online-hint = Link to the online meeting (https://…), if any.
meeting-field-capacity = Places
meeting-capacity-hint = Empty for no limit. When it is full, further answers go to the waiting list.
meeting-field-max-party = Most people per answer
meeting-max-party-hint = How many people one organisation may bring (the person answering included).
meeting-field-lang = Language of invitations to organisations
meeting-audience = Who is invited
meeting-audience-hint = Every chosen address gets the invitation once.
meeting-audience-spheres = { $count } sphere(s) of activity
meeting-audience-custom = { $count } address(es) typed in
meeting-save = Save
meeting-back = Back
meeting-capacity-none = no limit
meeting-invited-at = Invitations sent
meeting-late-reason = Reason for the shorter notice
meeting-edit = Edit
meeting-public-page = Public page
meeting-write-to-invitees = Write to the invitees
meeting-invitations = Invitations
meeting-field-reason = Reason for sending the invitations later than usual
meeting-reason-hint = Less than { $count } days are left before the meeting. The cooperation rules require invitations at least 7 days ahead; write why it was not possible this time. The reason goes into the audit log.
meeting-invite-hint = Invitations go out at least { $count } days before the meeting; each has a calendar file and "I will attend / I cannot attend" links.
meeting-invite = Send invitations
meeting-invite-new = Send invitations to new addressees
meeting-answers = Answers
meeting-people = { $count ->
    [one] 1 person confirmed
   *[other] { $count } people confirmed
}
meeting-export-csv = Attendance list (CSV)
meeting-export-pdf = Attendance list to sign (PDF)
meeting-minutes-published-at = Minutes published on { $date }.
meeting-field-minutes = Minutes
meeting-minutes-hint = Markdown. Published minutes are on the meeting page and are e-mailed to the attendees (once).
meeting-minutes-save = Save as draft
meeting-minutes-publish = Publish and send to attendees
meeting-cancel-hint = The invitees get a cancellation message and the meeting leaves the calendar.
meeting-cancel = Cancel the meeting
meeting-pdf-title = Attendance list: { $title }
meeting-pdf-generated = Generated { $date }

meeting-error-title = Enter a title (3 to 200 characters, on one line).
meeting-error-agenda = Enter the agenda.
meeting-error-agenda-long = The agenda is too long (at most 20,000 characters).
meeting-error-place = The place is too long (at most 300 characters).
meeting-error-online-url = Enter a full address starting with https:// or http://.
meeting-error-where = Give a place or a link to the online meeting.
meeting-error-date = Enter the date of the meeting: day, month and year, e.g. 15.05.2027.
meeting-error-start-time = Enter the start time, e.g. 17:00.
meeting-error-end-time = Enter the end time, e.g. 19:00.
meeting-error-end = The end must be later than the start.
meeting-error-past = The meeting must start in the future.
meeting-error-capacity = Places is a number from 1 to 100,000, or empty.
meeting-error-capacity-taken = { $count } places are already confirmed; the number of places cannot be lower.
meeting-error-party = Enter a number of people from 1 to { $max }.
meeting-error-audience = Choose who is invited.
meeting-error-answer = Choose "I will attend" or "I cannot attend".
meeting-error-comment = The comments are too long (at most 1000 characters).
meeting-error-closed = Answers to this invitation are no longer accepted (the meeting has started or was cancelled).
meeting-error-no-room = There is no room for that many people (free places: { $count }). Your earlier answer still stands.
meeting-error-reason = Less than { $count } days are left before the meeting: write the reason (at least { $n } characters).
meeting-error-invite-closed = Invitations cannot be sent: the meeting is cancelled or has already started.
meeting-error-no-one = Everyone chosen has already been invited.
meeting-error-minutes-status = Minutes can only be added to a meeting whose invitations were sent.
meeting-error-minutes-empty = Write the minutes before publishing them.
meeting-error-minutes-long = The minutes are too long.

flash-meeting-saved = Meeting saved.
flash-meeting-updated-notified = Changes saved; the invitees will get a message about the change.
flash-meeting-invited = The invitations are being sent.
flash-meeting-cancelled = Meeting cancelled; the invitees will get a message.
flash-meeting-cancelled-readonly = This meeting is cancelled and cannot be changed.
flash-meeting-minutes-saved = Minutes saved as a draft.
flash-meeting-minutes-published = Minutes published and being sent to the attendees.
flash-meeting-attending = Thank you, your attendance is confirmed.
flash-meeting-waitlisted = All places are taken: you are on the waiting list. We will write when a place frees up.
flash-meeting-declined = Thank you for answering: we noted that you will not attend.

mail-meeting-invitation-subject = Invitation to a meeting: { $title }
mail-meeting-invitation-body = You are invited to the meeting "{ $title }".
mail-meeting-when = When: { $when }
mail-meeting-place = Place: { $place }
mail-meeting-online = Online meeting link: { $link }
mail-meeting-agenda = Agenda:
mail-meeting-answer-hint = Please tell us whether you will attend: one click on a link below is enough. A calendar file is attached.
mail-meeting-answer = Answer the invitation
mail-meeting-yes = I will attend
mail-meeting-no = I cannot attend
mail-meeting-changed-subject = Meeting changed: { $title }
mail-meeting-changed-body = The time or place of the meeting "{ $title }" has changed. Current details:
mail-meeting-changed-answer = If the change affects your answer, you can change it.
mail-meeting-cancelled-subject = Meeting cancelled: { $title }
mail-meeting-cancelled-body = The meeting "{ $title }" ({ $when }) has been cancelled. We apologise.
mail-meeting-reminder-subject = Reminder: { $title }
mail-meeting-reminder-body = A reminder of the meeting "{ $title }".
mail-meeting-reminder-party = Number of people you gave: { $count }.
mail-meeting-change-answer = Change your answer
mail-meeting-reminder-answer-subject = Please answer: { $title }
mail-meeting-reminder-answer-body = We do not have your answer to the invitation to the meeting "{ $title }" yet.
mail-meeting-seat-subject = A place is free: { $title }
mail-meeting-seat-body = A place has freed up at the meeting "{ $title }": your attendance is confirmed.
mail-meeting-minutes-subject = Minutes of the meeting: { $title }
mail-meeting-minutes-body = Thank you for attending the meeting "{ $title }". The minutes follow.
mail-meeting-page = Meeting page

mailing-audience-meeting = Invitees of a meeting
mailing-meeting-none = (none)
mailing-meeting-attending = Only those who confirmed attendance
mailing-preview-meeting = Meeting invitees: { $count }

# Panel home page counts (issue 16)
panel-count-my-invitations = { $count ->
    [one] { $count } invitation waits for your answer
   *[other] { $count } invitations wait for your answer
}
panel-count-unanswered-meetings = { $count ->
    [one] { $count } meeting with unanswered invitations
   *[other] { $count } meetings with unanswered invitations
}
link-next-my-meetings = My meeting invitations (after signing in)
link-next-meetings = All meetings
