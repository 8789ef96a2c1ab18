# Calendar views, event page and iCalendar feeds.
calendar-views = Calendar view
calendar-view-list = List
calendar-view-month = Month
calendar-view-week = Week
calendar-period-nav = Previous and next period
calendar-prev = ‹ Previous month: { $title }
calendar-next = Next month: { $title } ›
calendar-this-month = This month
calendar-prev-week = ‹ Previous week
calendar-next-week = Next week ›
calendar-this-week = This week
calendar-today = (today)
calendar-continues = (cont.)
calendar-none-day = No events.
calendar-occurrence-count = { $count ->
    [one] { $count } date
   *[other] { $count } dates
}
calendar-filter-organization = Organiser
calendar-filter-category = Type of event
calendar-filter-free = Free events only
calendar-filter-apply = Show events
calendar-filter-reset = Clear filters
calendar-subscribe = Subscribe to the calendar (iCalendar)
calendar-subscribe-hint = Add this link's address to your calendar program; it keeps the chosen filters.
calendar-org-feed = The organisation's events in iCalendar format
calendar-add = Add to calendar
calendar-event-ended = This event has already taken place.
calendar-next-dates = Next dates
calendar-spheres = Areas of public benefit
calendar-registration = Registration
calendar-registration-link = Register for the event
calendar-repeats-weekly = { $count ->
    [one] every week
   *[other] every { $count } weeks
} until { $date }
calendar-repeats-monthly = { $count ->
    [one] every month
   *[other] every { $count } months
} until { $date }
calendar-month-1 = January
calendar-month-2 = February
calendar-month-3 = March
calendar-month-4 = April
calendar-month-5 = May
calendar-month-6 = June
calendar-month-7 = July
calendar-month-8 = August
calendar-month-9 = September
calendar-month-10 = October
calendar-month-11 = November
calendar-month-12 = December
calendar-month-gen-1 = January
calendar-month-gen-2 = February
calendar-month-gen-3 = March
calendar-month-gen-4 = April
calendar-month-gen-5 = May
calendar-month-gen-6 = June
calendar-month-gen-7 = July
calendar-month-gen-8 = August
calendar-month-gen-9 = September
calendar-month-gen-10 = October
calendar-month-gen-11 = November
calendar-month-gen-12 = December
calendar-weekday-1 = Monday
calendar-weekday-2 = Tuesday
calendar-weekday-3 = Wednesday
calendar-weekday-4 = Thursday
calendar-weekday-5 = Friday
calendar-weekday-6 = Saturday
calendar-weekday-7 = Sunday
calendar-weekday-short-1 = Mon
calendar-weekday-short-2 = Tue
calendar-weekday-short-3 = Wed
calendar-weekday-short-4 = Thu
calendar-weekday-short-5 = Fri
calendar-weekday-short-6 = Sat
calendar-weekday-short-7 = Sun
event-category-spotkanie = Meeting
event-category-warsztaty = Workshop
event-category-szkolenie = Training
event-category-konferencja = Conference
event-category-festyn = Fair, picnic
event-category-koncert = Concert
event-category-wystawa = Exhibition
event-category-sport = Sport and recreation
event-category-wolontariat = Volunteering
event-category-inne = Other
calendar-none-filtered = No events match these conditions in this period.
calendar-none-period = No events are planned in this period.
