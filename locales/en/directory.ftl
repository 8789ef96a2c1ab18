# Organisation profiles: validation, moderation, yearly confirmation.

error-org-name-required = Enter the organisation's name.
error-org-name-length = The name must have 3 to 200 characters.
error-org-description-required = Write a short description of the organisation.
error-org-description-short = The description is too short – write at least 40 characters: what you do, for whom and where.
error-org-description-long = The description may have at most 600 characters.
error-org-legal-form = Choose a legal form from the list.
error-krs = A KRS number has up to 10 digits, without spaces, e.g. 0000123456.
error-opp-needs-krs = Only organisations registered in the KRS can have public benefit (OPP) status – enter the KRS number.
error-nip = This NIP is not valid (10 digits, the checksum does not match).
error-regon = This REGON is not valid (9 or 14 digits, the checksum does not match).
error-org-email-required = Enter the e-mail address for contacting the organisation.
error-phone = Enter a phone number, e.g. 600 100 200 or +48 12 345 67 89.
error-url = Enter a web address, e.g. https://www.foundation.pl.
error-url-list = Each link must be a web address, e.g. https://facebook.com/name.
error-social-too-many = Enter at most 5 links.
error-street-required = Enter the street and number.
error-city-required = Enter the town or city.
error-postal-code = Enter the postal code as 00-000.
error-sphere-unknown = Choose spheres from the list.
error-spheres-too-many = Choose at most 3 leading spheres of activity.
error-spheres-required = Choose at least one leading sphere of activity.
error-group-unknown = Choose groups from the list.
error-contacts-too-many = Enter at most 3 contact persons.
error-contact-name = Enter the contact person's name.
error-logo-alt = Describe the logo for blind users (alternative text), e.g. "Logo: a green leaf and the word Łąka".

mail-moderation-new-subject = For moderation: { $title }
mail-moderation-new-body = A new submission is waiting in the moderation queue: "{ $title }".
mail-moderation-new-action = Open the submission
mail-moderation-decision-subject = Profile of "{ $organization }" – moderator's decision
mail-profile-approved = The profile of "{ $organization }" has been approved and is visible in the directory.
mail-profile-changes = The moderator asks for changes to the profile of "{ $organization }". Correct the form and send it again.
mail-profile-rejected = The profile submission for "{ $organization }" was not accepted.
mail-claim-approved = We have confirmed that you represent "{ $organization }". You can now edit its profile and invite other people.
mail-claim-rejected = We could not confirm that you represent "{ $organization }".
mail-moderation-comment = Moderator's comment: { $comment }
mail-moderation-decision-action = Go to your panel
mail-org-confirm-subject = Is the profile of "{ $organization }" up to date?
mail-org-confirm-body = Once a year we ask organisations to confirm that their profile in the directory and their contact e-mail address are current. If nothing has changed for "{ $organization }", one click is enough.
mail-org-confirm-edit = If something has changed, correct the profile in your panel: { $link }
mail-org-confirm-action = I confirm, the data is current
error-text-too-long = This text is too long.

profile-register-title = Register an organisation
profile-edit-title = Organisation profile: { $name }
profile-lead = Residents, the city office and other organisations will see this profile in the directory. Every change goes to a moderator at the office before it appears on the site.
profile-section-basic = Basic information
profile-name = Full name of the organisation
profile-name-hint = As in the KRS or the statute, e.g. Friends of Zatorze Association.
profile-description = Short description
profile-description-hint = 2–4 sentences (40–600 characters). A good description:
profile-description-tip-what = says what you do – concretely, e.g. "we give free maths tutoring";
profile-description-tip-who = says for whom and where you work, e.g. "for primary school pupils in Zatorze";
profile-description-tip-plain = is written in plain language, without abbreviations and slogans only your organisation knows.
profile-choose = – choose –
profile-krs = KRS number
profile-krs-hint = If the organisation is in the National Court Register; 10 digits, e.g. 0000123456.
profile-nip-hint = 10 digits, e.g. 123-456-32-18. We check the checksum.
profile-regon-hint = 9 or 14 digits. We check the checksum.
profile-opp = Public benefit organisation (may receive 1.5% of income tax)
profile-section-leading = Leading spheres of activity
profile-leading-hint = Choose 1 to 3 spheres of public benefit where you do most (Art. 4 of the Act on public benefit activity).
profile-section-other = Other spheres of activity
profile-section-contact = Contact and address
org-field-email = Organisation's e-mail address
profile-email-hint = The office sends invitations, grant call news and, once a year, a request to confirm your data to this address.
profile-website-hint = E.g. https://www.our-foundation.pl
profile-social = Social media
profile-social-hint = Links to profiles (Facebook, Instagram, YouTube…), one per line, at most 5.
profile-street = Street and number
profile-district-hint = The district or estate where you work most (helps search).
profile-section-people = Contact persons
profile-people-hint = You can give up to 3 people. Contact persons are public – give them only with their consent.
profile-person = Person { $count }
profile-person-name = Full name
profile-person-role = Role, e.g. chair of the board, volunteer coordinator
profile-section-logo = Logo
profile-logo = Logo file
profile-logo-hint = PNG, JPG, WebP or GIF, at most 1 MB.
profile-logo-alt = Logo description (alternative text)
profile-logo-alt-hint = Required when there is a logo: what the logo shows, for people using screen readers.
profile-logo-remove = Remove the current logo
profile-moderation-note = After you send it, the profile goes to a moderator. We will tell you the decision by e-mail.
profile-submit-new = Send for moderation
profile-submit = Send changes for moderation
profile-pending-notice = Your previous changes are waiting for moderation. If you send the form again, the new version replaces them.
profile-changes-notice = The moderator asks for changes: { $comment }
error-org-exists = An organisation with this number is already in the directory: "{ $name }". Instead of registering it again, tell us you represent it (the link "Do you represent this organisation?" on its page).
error-logo-too-large = The logo file is too large (at most 1 MB).
error-logo-type = The logo must be a PNG, JPG, WebP or GIF image.

claim-title = I represent the organisation: { $name }
claim-lead = If you work in this organisation, tell us – a moderator at the office checks the request and gives you the right to edit the profile.
claim-role = Your role in the organisation
claim-role-hint = E.g. board member, project coordinator.
claim-message = Message to the moderator (optional)
claim-message-hint = E.g. how we can confirm that you represent the organisation.
claim-submit = Send the request
claim-pending = Your request is waiting for the moderator's decision.
error-claim-role = Enter your role in the organisation.
error-claim-already-owner = You already own this organisation's profile.

history-title = Version history: { $name }
history-link = Version history
history-none = The profile has no versions submitted through the site yet.
history-version = Version
history-kind = Type
history-submitted = Submitted
history-status = Status
history-comment = Comment
revision-kind-create = Registration
revision-kind-update = Profile change
revision-kind-claim = Representative request
revision-status-pending = waiting for moderation
revision-status-approved = approved
revision-status-rejected = rejected
revision-status-changes_requested = changes requested
revision-status-superseded = replaced by a newer one

moderation-title = Moderation
moderation-lead = Submissions waiting for a decision, oldest first. The organisation gets an e-mail with the decision and comment.
moderation-empty = Nothing is waiting for moderation.
moderation-count = { $count ->
    [one] { $count } submission is waiting
   *[other] { $count } submissions are waiting
}
moderation-subject = Subject
moderation-by = Submitted by
moderation-item-title = Submission
moderation-public-page = Page in the directory
moderation-claim = Representative request
moderation-diff = Comparison: current and submitted version
moderation-changed-count = { $count ->
    [one] { $count } field changed.
   *[other] { $count } fields changed.
}
moderation-field = Field
moderation-before = Now
moderation-after = After the change
moderation-changed = changed
moderation-removed = removed:
moderation-added = added:
moderation-decision = Decision
moderation-approve = Approve and publish
moderation-request-changes = Ask for changes
moderation-reject = Reject
moderation-comment = Comment for the organisation
moderation-comment-hint = Required when you ask for changes or reject. The organisation receives it by e-mail.
moderation-submit = Save the decision
moderation-already = This submission has already been decided.
error-decision-required = Choose a decision.
error-comment-required = Write a comment – the organisation needs to know what to correct or why it was rejected.
error-already-decided = Someone has already decided this submission.
flash-moderation-approved = Approved. The organisation will get an e-mail.
flash-moderation-changes = Request for changes sent.
flash-moderation-rejected = Submission rejected. The organisation will get an e-mail.
flash-profile-submitted = Sent for moderation. We will tell you the decision by e-mail.
flash-profile-unchanged = Nothing changed – the profile stays as it is.
flash-claim-submitted = Request sent to the moderator.
flash-profile-confirmed = Thank you! The organisation's data is confirmed as current.
flash-saved = Saved.

my-orgs-claim-hint = Your organisation is not listed here but is in the directory? Open its page and choose "Do you represent this organisation?".
my-orgs-status = Profile status
my-orgs-members = People editing the profile
org-status-pending = waiting for the first moderation (not public)
org-status-published = published
org-status-published-pending = published, changes waiting for moderation
org-status-rejected = rejected
org-edit-profile = Edit profile
org-stale = This organisation's data may be out of date – it was last confirmed on { $date }.
org-updated = Profile last changed: { $date }
org-confirmed = data confirmed: { $date }
org-claim-link = Do you represent this organisation?
org-claim-signin = Sign in if you work in this organisation.

confirm-profile-title = Confirming the organisation's data
confirm-profile-lead = Confirm that the profile of "{ $name }" and its contact e-mail address are current.
confirm-profile-page = Profile in the directory
confirm-profile-changed = Has something changed?
confirm-profile-edit = Correct the profile in your panel

directory-status-title = Currency of organisations' data
directory-status-lead = Organisations that have not confirmed their data after the yearly request, addresses mail does not reach, and profiles not confirmed for a long time.
directory-status-filter = Status filter
directory-status-all = All
directory-status-niepotwierdzone = Awaiting confirmation
directory-status-odbijajace = Address not working
directory-status-nieaktualne = Possibly out of date
directory-status-confirmed = Last confirmed
directory-status-requested = Request sent
directory-status-flags = Flags
directory-status-actions = Actions
directory-status-mark = Mark the address as not working
directory-status-unmark = Remove the address mark
directory-status-send = Send a confirmation request
flash-confirmation-sent = The request to confirm the data was sent.
flash-confirmation-no-email = The organisation has no e-mail address – no request was sent.
table-scroll = Table (scrolls horizontally)
org-news = The organisation's news

# Panel home page counts (issue 16)
panel-count-confirmation-due = { $count ->
    [one] { $count } organisation needs its data confirmed
   *[other] { $count } organisations need their data confirmed
}
panel-count-stale = { $count ->
    [one] { $count } profile may be out of date
   *[other] { $count } profiles may be out of date
}
link-next-org-profile = Sign in and correct the organisation's data in the panel
organizations-none-found = No organisations match these conditions.
organizations-none-yet = There are no organisations in the directory yet.
directory-status-none = No organisations are in this state.
directory-status-none-yet = There are no organisations in the directory yet.
