# Calendar views, event page and iCalendar feeds.
calendar-views = Widok kalendarza
calendar-view-list = Lista
calendar-view-month = Miesiąc
calendar-view-week = Tydzień
calendar-period-nav = Poprzedni i następny okres
calendar-prev = ‹ Poprzedni miesiąc: { $title }
calendar-next = Następny miesiąc: { $title } ›
calendar-this-month = Bieżący miesiąc
calendar-prev-week = ‹ Poprzedni tydzień
calendar-next-week = Następny tydzień ›
calendar-this-week = Bieżący tydzień
calendar-today = (dziś)
calendar-continues = (cd.)
calendar-none-day = Brak wydarzeń.
calendar-occurrence-count = { $count ->
    [one] { $count } termin
    [few] { $count } terminy
   *[other] { $count } terminów
}
calendar-filter-organization = Organizator
calendar-filter-category = Rodzaj wydarzenia
calendar-filter-free = Tylko bezpłatne
calendar-filter-apply = Pokaż wydarzenia
calendar-filter-reset = Wyczyść filtry
calendar-subscribe = Subskrybuj kalendarz (iCalendar)
calendar-subscribe-hint = Adres tego linku można dodać do programu kalendarza; uwzględnia wybrane filtry.
calendar-org-feed = Wydarzenia organizacji w formacie iCalendar
calendar-add = Dodaj do kalendarza
calendar-event-ended = To wydarzenie już się odbyło.
calendar-next-dates = Najbliższe terminy
calendar-spheres = Sfery pożytku publicznego
calendar-registration = Zapisy
calendar-registration-link = Zapisz się na wydarzenie
calendar-repeats-weekly = { $count ->
    [one] co tydzień
    [few] co { $count } tygodnie
   *[other] co { $count } tygodni
} do { $date }
calendar-repeats-monthly = { $count ->
    [one] co miesiąc
    [few] co { $count } miesiące
   *[other] co { $count } miesięcy
} do { $date }
calendar-month-1 = styczeń
calendar-month-2 = luty
calendar-month-3 = marzec
calendar-month-4 = kwiecień
calendar-month-5 = maj
calendar-month-6 = czerwiec
calendar-month-7 = lipiec
calendar-month-8 = sierpień
calendar-month-9 = wrzesień
calendar-month-10 = październik
calendar-month-11 = listopad
calendar-month-12 = grudzień
calendar-month-gen-1 = stycznia
calendar-month-gen-2 = lutego
calendar-month-gen-3 = marca
calendar-month-gen-4 = kwietnia
calendar-month-gen-5 = maja
calendar-month-gen-6 = czerwca
calendar-month-gen-7 = lipca
calendar-month-gen-8 = sierpnia
calendar-month-gen-9 = września
calendar-month-gen-10 = października
calendar-month-gen-11 = listopada
calendar-month-gen-12 = grudnia
calendar-weekday-1 = poniedziałek
calendar-weekday-2 = wtorek
calendar-weekday-3 = środa
calendar-weekday-4 = czwartek
calendar-weekday-5 = piątek
calendar-weekday-6 = sobota
calendar-weekday-7 = niedziela
calendar-weekday-short-1 = pon.
calendar-weekday-short-2 = wt.
calendar-weekday-short-3 = śr.
calendar-weekday-short-4 = czw.
calendar-weekday-short-5 = pt.
calendar-weekday-short-6 = sob.
calendar-weekday-short-7 = niedz.
event-category-spotkanie = Spotkanie
event-category-warsztaty = Warsztaty
event-category-szkolenie = Szkolenie
event-category-konferencja = Konferencja
event-category-festyn = Festyn, piknik
event-category-koncert = Koncert
event-category-wystawa = Wystawa
event-category-sport = Sport i rekreacja
event-category-wolontariat = Wolontariat
event-category-inne = Inne
calendar-none-filtered = Nie znaleziono wydarzeń spełniających te warunki w tym okresie.
calendar-none-period = W tym okresie nie ma zaplanowanych wydarzeń.
