# Office mailings, the weekly digest and address checks (issue 6)

mailing-title = E-mail mailings
mailing-lead = Information for organisations and subscribers: calls, the calendar, invitations. Each recipient gets their own message, with the office footer.
mailing-none = There are no mailings yet.
mailing-new-title = New mailing
mailing-edit-title = Mailing: { $title }
mailing-field-subject = Subject
mailing-field-body = Message
mailing-body-hint = Markdown: a blank line separates paragraphs, **bold**, [link text](https://address), "- " at the start of a line makes a list, "## " a heading. We prepare the plain-text version ourselves.
mailing-field-lang = Language of the message
mailing-lang-pl = Polish
mailing-lang-en = English
mailing-audience = Recipients
mailing-audience-hint = Choose one or more groups. Each address gets one message, even if it belongs to several groups.
mailing-audience-organizations = All organisations in the directory (contact address)
mailing-audience-spheres = Organisations active in the spheres
mailing-audience-topics = Newsletter subscribers who chose the topic
mailing-audience-custom = Other addresses
mailing-custom-hint = One address per line (commas or semicolons also separate).
mailing-when = Sending time
mailing-when-hint = Leave empty to send as soon as you press "Send".
mailing-field-date = Day
mailing-field-time = Time
mailing-preview = Preview
mailing-save = Save draft
mailing-test = Send a test to me
mailing-send = Send
mailing-test-sent = A test message is on its way to { $email }. The draft was saved.
mailing-preview-audience = { $count ->
    [one] The message will go to 1 address
   *[other] The message will go to { $count } addresses
  }. Addresses where mail does not arrive (we will skip them): { $n }.
mailing-preview-organizations = organisations: { $count }
mailing-preview-subscribers = subscribers: { $count }
mailing-preview-custom = other addresses: { $count }
mailing-preview-html = HTML version
mailing-preview-text = Plain-text version
mailing-content = The message
mailing-recipients = Recipients and delivery status
mailing-filter = Recipient filter
mailing-filter-all = All ({ $count })
mailing-export = Download the recipient list (CSV)
mailing-no-recipients = No recipients in this view.
mailing-cancel = Stop the mailing
mailing-progress = { $count } of { $total } sent
mailing-col-kind = Kind
mailing-col-status = Status
mailing-col-when = Time
mailing-col-progress = Progress
mailing-col-scheduled = Scheduled for
mailing-col-finished = Finished
mailing-col-recipients = Recipients
mailing-col-email = Address
mailing-col-source = Source
mailing-col-attempts = Attempts
mailing-col-sent = Sent
mailing-col-confirmed = Confirmed
mailing-col-error = Server reply
mailing-kind-manual = office mailing
mailing-kind-digest = weekly digest
mailing-kind-address_check = address check
mailing-status-draft = draft
mailing-status-scheduled = scheduled
mailing-status-sending = sending
mailing-status-sent = sent
mailing-status-cancelled = stopped
mailing-rstatus-pending = waiting
mailing-rstatus-sent = sent
mailing-rstatus-failed = failed
mailing-rstatus-bounced = address does not work
mailing-rstatus-skipped = skipped (address does not work)
mailing-rstatus-unconfirmed = not confirmed by the server
mailing-unconfirmed = Not confirmed by the mail server
mailing-unconfirmed-hint = { $count ->
    [one] { $count } message was
   *[other] { $count } messages were
  } handed to the mail server, but the connection broke before the server confirmed: they may or may not have arrived. Sending again uses the same message identifier, so a mail client that gets both shows one.
mailing-resend-unconfirmed = Send the unconfirmed again ({ $count })
mailing-source-organization = organisation
mailing-source-subscriber = subscriber
mailing-source-custom = added by hand
mailing-source-meeting = invited to a meeting
flash-mailing-saved = The draft was saved.
flash-mailing-scheduled = The mailing is scheduled. Until then you can stop it and make changes.
flash-mailing-sending = Sending has started. Delivery status is shown below.
flash-mailing-not-draft = This mailing can no longer be changed: it has been ordered.
flash-mailing-cancelled = The mailing was stopped.
flash-mailing-resent = The unconfirmed messages are being sent again.
flash-mailing-nothing-to-resend = There are no unconfirmed messages to send again.
flash-mailing-not-cancellable = This mailing can no longer be stopped.
flash-address-check-started = Requests to confirm their address are going out to the organisations.
mailing-error-subject = Enter a subject (3 to 200 characters, on one line).
mailing-error-body = Enter the message.
mailing-error-body-long = The message is too long (at most 100,000 characters).
mailing-error-sphere = Choose spheres from the list.
mailing-error-topic = Choose topics from the list.
mailing-error-custom = These lines do not hold a valid e-mail address: { $lines }.
mailing-error-custom-many = One mailing can have at most { $max } addresses added by hand.
mailing-error-audience = Choose who should receive the message.
mailing-error-send-past = That sending time has passed. Enter a future time or leave both fields empty.
mailing-error-send-at = Enter the day and time of sending (e.g. 2027-01-15 and 09:00) or leave both fields empty.
mailing-reason-organization = You receive this message because this is an organisation's contact address in the directory of NGOs.
mailing-reason-subscriber = You receive this message because this address was signed up for information for NGOs.
mailing-reason-custom = You receive this message as a recipient chosen by the office.
mailing-reason-meeting = You receive this message because this address was invited to a meeting of the office with organisations.
mailing-error-meeting = Choose a meeting from the list.
mailing-reason-test = This is a test message: this is how recipients will see it.
mailing-unsubscribe = Change topics or unsubscribe
mailing-test-prefix = TEST
address-check-start = Ask organisations to confirm their addresses
address-check-hint = Every organisation in the directory gets a message with an "The address is current" button. The mailing then shows confirmed, unconfirmed and bouncing addresses.
address-check-subject = Is this e-mail address still current?
address-check-body =
    Hello,

    e-mail is the main channel between the office and NGOs. Please confirm that this address is still the right one for contacting your organisation — just press the button below.

    If the address has changed, please correct it in your organisation's profile in the directory.
address-check-button = The address is current
address-check-confirmed = Confirmed
address-check-unconfirmed = Not confirmed
address-confirm-title = Confirming an e-mail address
address-confirm-lead = Confirm that { $email } is still the right address for contacting the organisation.
address-confirm-done = Thank you. The address { $email } is confirmed.
address-confirm-wrong = If the address has changed, sign in and correct it in the organisation's profile.
digest-subject = Weekly digest for NGOs ({ $date })
digest-intro = What is new in the NGO zone this week:
digest-events = New events in the calendar
digest-partners = City activities looking for partners
digest-news = News
digest-outro = The calendar and all news are on the NGO zone website.
panel-mailings = E-mail mailings

addresses-title = Recipients and bouncing addresses
addresses-subscribers = Newsletter subscribers
addresses-by-topic = Active subscribers by topic
addresses-search = Search for an address
addresses-search-submit = Search
addresses-since = Since
addresses-bouncing = Bouncing addresses
addresses-bouncing-lead = The receiving server permanently refused messages to these addresses. Later mailings skip them and the directory shows it at the organisation. The organisation confirming its address, or "Forget", restores an address.
addresses-no-bounces = There are no bouncing addresses.
addresses-organization = Organisation
addresses-bounced-at = Refused
addresses-forget = Forget
flash-bounce-cleared = The address will receive mailings again.
subscriber-status-active = active
subscriber-status-pending = awaiting confirmation
subscriber-status-unsubscribed = unsubscribed
mailing-insert-calendar = Insert the calendar for 30 days
mailing-calendar-heading = Calendar for the next { $count } days
mailing-calendar-empty = There are no events in the calendar for that time yet.
mailing-calendar-more = The whole calendar

# Panel home page counts (issue 16)
panel-count-unconfirmed = { $count ->
    [one] { $count } mailing with unconfirmed delivery
   *[other] { $count } mailings with unconfirmed delivery
}
addresses-none-found = No subscribers with such an address were found.
addresses-none-yet = Nobody has signed up for the newsletter yet.
