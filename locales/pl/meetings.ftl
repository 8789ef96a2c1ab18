## Spotkania (zgłoszenie 6, pkt 5)

nav-meetings = Spotkania
meeting-title = Spotkania z organizacjami
meeting-lead = Spotkania urzędu z organizacjami pozarządowymi. Zaproszenia wysyłamy co najmniej 7 dni wcześniej; odpowiedź „będę / nie będę” wystarczy kliknąć w zaproszeniu.
meeting-upcoming = Najbliższe spotkania
meeting-past = Minione spotkania
meeting-none = Nie ma zaplanowanych spotkań.
meeting-online = online
meeting-online-only = Spotkanie online
meeting-online-link-in-invitation = link do spotkania online jest w zaproszeniu
meeting-status-draft = szkic
meeting-status-invited = zaproszenia wysłane
meeting-status-cancelled = odwołane
meeting-istatus-invited = bez odpowiedzi
meeting-istatus-attending = będzie
meeting-istatus-waitlisted = na liście rezerwowej
meeting-istatus-declined = nie będzie
meeting-seats-left = { $count ->
    [one] zostało 1 miejsce
    [few] zostały { $count } miejsca
   *[other] zostało { $count } miejsc
}
meeting-minutes-available = protokół dostępny
meeting-cancelled-notice = To spotkanie zostało odwołane.
meeting-field-when = Termin
meeting-field-place = Miejsce
meeting-field-seats = Wolne miejsca
meeting-field-online = Link do spotkania online
meeting-field-invitee = Zaproszony adres
meeting-field-your-answer = Odpowiedź
meeting-agenda = Program spotkania
meeting-how-to-answer = Zaproszenie z linkami do odpowiedzi przychodzi pocztą e-mail. Członkowie organizacji mogą też odpowiedzieć po zalogowaniu, w panelu „Moje spotkania”.
meeting-minutes = Protokół
meeting-answer-title = Odpowiedź na zaproszenie: { $title }
meeting-see-agenda = Zobacz program spotkania
meeting-answer-question = Czy weźmiesz udział w spotkaniu?
meeting-answer-yes = Będę
meeting-answer-no = Nie będę
meeting-field-party = Liczba osób
meeting-party-hint = Razem z Tobą, najwyżej { $max }.
meeting-field-comment = Uwagi (nieobowiązkowe)
meeting-comment-hint = Na przykład potrzeby dotyczące dostępności albo pytanie do organizatora.
meeting-answer-send = Wyślij odpowiedź
meeting-mine-title = Moje spotkania
meeting-mine-lead = Zaproszenia na Twój adres i na adresy Twoich organizacji. Odpowiedź możesz zmienić do rozpoczęcia spotkania.
meeting-mine-none = Nie masz zaproszeń na spotkania.
meeting-answer-link = Odpowiedz: { $title }
meeting-panel-title = Spotkania
meeting-panel-lead = Spotkania z organizacjami: zaproszenia co najmniej 7 dni przed terminem, odpowiedzi, lista obecności i protokół.
meeting-new-title = Nowe spotkanie
meeting-edit-title = Edycja spotkania: { $title }
meeting-edit-invited-hint = Zaproszenia zostały już wysłane. Jeśli zmienisz termin albo miejsce, zaproszeni dostaną wiadomość o zmianie z nowym plikiem kalendarza.
meeting-col-title = Spotkanie
meeting-col-status = Stan
meeting-col-answers = Odpowiedzi
meeting-col-email = Adres e-mail
meeting-col-organization = Organizacja
meeting-col-party = Osób
meeting-col-comment = Uwagi
meeting-col-responded = Data odpowiedzi
meeting-col-actions = Działania
meeting-col-number = Lp.
meeting-col-signature = Podpis
meeting-answers-short = { $count } os. potwierdzonych z { $total } zaproszeń
meeting-field-title = Tytuł
meeting-field-agenda = Program
meeting-agenda-hint = Markdown: akapity, listy, **pogrubienie**, [link](https://…).
meeting-field-date = Data
meeting-field-start = Początek
meeting-field-end = Koniec
meeting-place-hint = Adres i sala; puste, jeśli spotkanie jest tylko online.
meeting-online-hint = Link do spotkania online (https://…), jeśli jest.
meeting-field-capacity = Liczba miejsc
meeting-capacity-hint = Puste, jeśli bez ograniczeń. Po zapełnieniu kolejni trafiają na listę rezerwową.
meeting-field-max-party = Najwięcej osób z jednej odpowiedzi
meeting-max-party-hint = Ile osób może zgłosić jedna organizacja (razem z odpowiadającym).
meeting-field-lang = Język zaproszeń dla organizacji
meeting-audience = Kogo zapraszamy
meeting-audience-hint = Zaproszenia dostają wszystkie wybrane adresy, każdy jeden raz.
meeting-audience-spheres = { $count } sfer(y) działalności
meeting-audience-custom = { $count } adres(y) wpisane ręcznie
meeting-save = Zapisz
meeting-back = Wróć
meeting-capacity-none = bez ograniczeń
meeting-invited-at = Zaproszenia wysłane
meeting-late-reason = Powód krótszego terminu
meeting-edit = Edytuj
meeting-public-page = Strona publiczna
meeting-write-to-invitees = Napisz do zaproszonych
meeting-invitations = Zaproszenia
meeting-field-reason = Powód wysłania zaproszeń później niż zwykle
meeting-reason-hint = Do spotkania zostało mniej niż { $count } dni. Zasady współpracy wymagają zaproszeń co najmniej 7 dni wcześniej; wpisz, dlaczego tym razem się nie udało. Powód trafi do rejestru zdarzeń.
meeting-invite-hint = Zaproszenia wychodzą co najmniej { $count } dni przed spotkaniem; każde ma plik kalendarza i linki „będę / nie będę”.
meeting-invite = Wyślij zaproszenia
meeting-invite-new = Wyślij zaproszenia do nowych adresatów
meeting-answers = Odpowiedzi
meeting-people = { $count ->
    [one] 1 osoba potwierdzona
    [few] { $count } osoby potwierdzone
   *[other] { $count } osób potwierdzonych
}
meeting-export-csv = Lista obecności (CSV)
meeting-export-pdf = Lista obecności do podpisu (PDF)
meeting-minutes-published-at = Protokół opublikowany { $date }.
meeting-field-minutes = Treść protokołu
meeting-minutes-hint = Markdown. Opublikowany protokół jest na stronie spotkania i trafia e-mailem do uczestników (raz).
meeting-minutes-save = Zapisz roboczo
meeting-minutes-publish = Opublikuj i wyślij uczestnikom
meeting-cancel-hint = Zaproszeni dostaną wiadomość o odwołaniu, a spotkanie zniknie z kalendarza.
meeting-cancel = Odwołaj spotkanie
meeting-pdf-title = Lista obecności: { $title }
meeting-pdf-generated = Wygenerowano { $date }

meeting-error-title = Wpisz tytuł (od 3 do 200 znaków, w jednym wierszu).
meeting-error-agenda = Wpisz program spotkania.
meeting-error-agenda-long = Program jest za długi (najwyżej 20 000 znaków).
meeting-error-place = Miejsce jest za długie (najwyżej 300 znaków).
meeting-error-online-url = Wpisz pełny adres zaczynający się od https:// albo http://.
meeting-error-where = Podaj miejsce albo link do spotkania online.
meeting-error-date = Podaj datę spotkania: dzień, miesiąc i rok, np. 15.05.2027.
meeting-error-start-time = Podaj godzinę rozpoczęcia, np. 17:00.
meeting-error-end-time = Podaj godzinę zakończenia, np. 19:00.
meeting-error-end = Koniec musi być później niż początek.
meeting-error-past = Spotkanie musi zaczynać się w przyszłości.
meeting-error-capacity = Liczba miejsc to liczba od 1 do 100 000 albo puste pole.
meeting-error-capacity-taken = Potwierdzonych jest już { $count } miejsc; liczba miejsc nie może być mniejsza.
meeting-error-party = Wpisz liczbę osób od 1 do { $max }.
meeting-error-audience = Wybierz, kogo zapraszamy.
meeting-error-answer = Wybierz „Będę” albo „Nie będę”.
meeting-error-comment = Uwagi są za długie (najwyżej 1000 znaków).
meeting-error-closed = Odpowiedzi na to zaproszenie nie są już przyjmowane (spotkanie się zaczęło albo zostało odwołane).
meeting-error-no-room = Brak miejsc dla tylu osób (wolnych: { $count }). Poprzednia odpowiedź jest nadal ważna.
meeting-error-reason = Do spotkania zostało mniej niż { $count } dni: wpisz powód (co najmniej { $n } znaków).
meeting-error-invite-closed = Nie można wysłać zaproszeń: spotkanie jest odwołane albo już się zaczęło.
meeting-error-no-one = Wszyscy wybrani adresaci mają już zaproszenie.
meeting-error-minutes-status = Protokół można dodać tylko do spotkania, na które wysłano zaproszenia.
meeting-error-minutes-empty = Wpisz treść protokołu przed publikacją.
meeting-error-minutes-long = Protokół jest za długi.

flash-meeting-saved = Spotkanie zapisane.
flash-meeting-updated-notified = Zmiany zapisane; zaproszeni dostaną wiadomość o zmianie.
flash-meeting-invited = Zaproszenia są wysyłane.
flash-meeting-cancelled = Spotkanie odwołane; zaproszeni dostaną wiadomość.
flash-meeting-cancelled-readonly = To spotkanie jest odwołane i nie można go zmieniać.
flash-meeting-minutes-saved = Protokół zapisany roboczo.
flash-meeting-minutes-published = Protokół opublikowany i wysyłany do uczestników.
flash-meeting-attending = Dziękujemy, udział jest potwierdzony.
flash-meeting-waitlisted = Wszystkie miejsca są zajęte: jesteś na liście rezerwowej. Napiszemy, gdy zwolni się miejsce.
flash-meeting-declined = Dziękujemy za odpowiedź: zapisaliśmy, że nie weźmiesz udziału.

mail-meeting-invitation-subject = Zaproszenie na spotkanie: { $title }
mail-meeting-invitation-body = Zapraszamy na spotkanie „{ $title }”.
mail-meeting-when = Termin: { $when }
mail-meeting-place = Miejsce: { $place }
mail-meeting-online = Link do spotkania online: { $link }
mail-meeting-agenda = Program:
mail-meeting-answer-hint = Prosimy o odpowiedź, czy weźmiesz udział: wystarczy kliknąć jeden z linków poniżej. W załączniku jest plik kalendarza.
mail-meeting-answer = Odpowiedz na zaproszenie
mail-meeting-yes = Będę
mail-meeting-no = Nie będę
mail-meeting-changed-subject = Zmiana spotkania: { $title }
mail-meeting-changed-body = Zmienił się termin albo miejsce spotkania „{ $title }”. Aktualne informacje:
mail-meeting-changed-answer = Jeśli zmiana wpływa na Twoją odpowiedź, możesz ją zmienić.
mail-meeting-cancelled-subject = Spotkanie odwołane: { $title }
mail-meeting-cancelled-body = Spotkanie „{ $title }” ({ $when }) zostało odwołane. Przepraszamy.
mail-meeting-reminder-subject = Przypomnienie: { $title }
mail-meeting-reminder-body = Przypominamy o spotkaniu „{ $title }”.
mail-meeting-reminder-party = Zgłoszona liczba osób: { $count }.
mail-meeting-change-answer = Zmień odpowiedź
mail-meeting-reminder-answer-subject = Prosimy o odpowiedź: { $title }
mail-meeting-reminder-answer-body = Nie mamy jeszcze Twojej odpowiedzi na zaproszenie na spotkanie „{ $title }”.
mail-meeting-seat-subject = Zwolniło się miejsce: { $title }
mail-meeting-seat-body = Zwolniło się miejsce na spotkaniu „{ $title }”: Twój udział jest potwierdzony.
mail-meeting-minutes-subject = Protokół ze spotkania: { $title }
mail-meeting-minutes-body = Dziękujemy za udział w spotkaniu „{ $title }”. Poniżej protokół.
mail-meeting-page = Strona spotkania

mailing-audience-meeting = Zaproszeni na spotkanie
mailing-meeting-none = (żadne)
mailing-meeting-attending = Tylko ci, którzy potwierdzili udział
mailing-preview-meeting = Zaproszeni na spotkanie: { $count }

# Panel home page counts (issue 16)
panel-count-my-invitations = { $count ->
    [one] { $count } zaproszenie czeka na odpowiedź
    [few] { $count } zaproszenia czekają na odpowiedź
   *[many] { $count } zaproszeń czeka na odpowiedź
}
panel-count-unanswered-meetings = { $count ->
    [one] { $count } spotkanie z zaproszeniami bez odpowiedzi
    [few] { $count } spotkania z zaproszeniami bez odpowiedzi
   *[many] { $count } spotkań z zaproszeniami bez odpowiedzi
}
link-next-my-meetings = Moje zaproszenia na spotkania (po zalogowaniu)
link-next-meetings = Lista spotkań
