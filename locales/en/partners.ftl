## City activities open to NGO partners (seed 000 pt 5)

partner-title = City activities open to partners
partner-lead = The office invites organisations well in advance to co-create city events. For each activity we say what help we seek and whom to contact; you declare interest through the form.
partner-none = There are no activities looking for partners at the moment.
partner-when = Date
partner-where = Place
partner-help = What help we seek
partner-contact = Contact
partner-until = Declarations until
partner-until-start = Declarations until the start
partner-closed = Declarations are closed.
partner-interest-heading = Declare interest
partner-field-organization = Organisation
partner-field-organization-choose = The organisation you declare for
partner-field-organization-other = another one (enter its name below)
partner-field-organization-name = Name of the organisation
partner-field-contact-name = Contact person's name
partner-field-email = E-mail
partner-field-phone = Phone (optional)
partner-field-offer = What can you do?
partner-offer-hint = E.g. "We will run a stand with workshops for children; we need a tent and power".
partner-interest-submit = Send the declaration
partner-home-heading = We are looking for partners
flash-interest-sent = Thank you! The declaration went to the contact person; we sent you a confirmation by e-mail.
error-interest-duplicate = Interest in this activity has already been declared from this e-mail address.
error-interest-closed = Declarations for this activity are closed.
error-interest-organization = Enter the name of the organisation.
error-interest-offer = Say how you can help.
error-partner-email = Enter a valid e-mail address, e.g. name@example.pl.

panel-partner-title = Activities open to partners
panel-partner-lead = Announce city activities well in advance: organisations need time to plan. Declarations are e-mailed to the contact person and listed here.
panel-partner-new = New activity
panel-partner-edit = Editing the activity "{ $title }"
panel-partner-interests = Declarations ({ $count })
panel-partner-interests-title = Declarations: { $title }
panel-partner-export = Download the list (CSV)
panel-partner-none = No declarations yet.
panel-partner-status = Status
partner-status-draft = Draft (not visible)
partner-status-published = Published
partner-status-closed = Closed
partner-field-title = Name of the activity
partner-field-description = Description
partner-field-help = What help you seek
partner-help-hint = One item per line, e.g. "handicraft stands", "volunteers for the car park".
partner-field-start-date = Start date
partner-field-start-time = Start time (optional)
partner-field-end-date = End date (optional)
partner-field-place = Place
partner-field-contact-email = Contact person's e-mail
partner-field-contact-phone = Contact person's phone
partner-field-until = Declarations accepted until
partner-until-hint = Leave empty if declarations are accepted until the start.
partner-save = Save
partner-submitted-at = Declared
flash-partner-saved = The activity has been saved.
error-partner-title = Enter the name of the activity (3 to 200 characters).
error-partner-description = Describe the activity.
error-partner-help = Say what help you seek.
error-partner-place = Enter the place.
error-partner-contact-name = Enter the contact person's name.
error-partner-status = Choose a status from the list.
error-partner-status-move = An activity that has been public cannot go back to a draft; close it instead.
error-partner-start = Enter the start date (e.g. 27.03.2027) and optionally the time (e.g. 10:00).
error-partner-start-past = The start has passed. Enter a future date or close the activity.
error-partner-end = The end date cannot be before the start.
error-partner-until = The deadline for declarations must be on the start day at the latest.

mail-interest-new-subject = New partner declaration: { $activity }
mail-interest-new-body = "{ $organization }" declared interest in the activity "{ $activity }".
mail-interest-new-contact = Contact: { $contact }, { $email } { $phone }
mail-interest-offer = Offer: { $offer }
mail-interest-new-action = See all declarations
mail-interest-confirm-subject = Declaration received: { $activity }
mail-interest-confirm-body = Thank you! A declaration for the activity "{ $activity }" sent from this address has reached the office. The contact person will get in touch.
mail-interest-confirm-ignore = If you did not send it, ignore this message.
mail-interest-confirm-action = See the activity
error-interest-too-many = Too many declarations were sent from this address in the last hour. Try later or sign in.

# Panel home page counts (issue 16)
panel-count-declarations = { $count ->
    [one] { $count } declaration for activities ahead
   *[other] { $count } declarations for activities ahead
}
panel-count-media = { $count ->
    [one] { $count } request waits for a decision
   *[other] { $count } requests wait for a decision
}
