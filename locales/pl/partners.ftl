## City activities open to NGO partners (seed 000 pt 5)

partner-title = Działania miasta otwarte na partnerów
partner-lead = Urząd z wyprzedzeniem zaprasza organizacje do współtworzenia miejskich wydarzeń. Przy każdym działaniu piszemy, jakiej pomocy szukamy i z kim się kontaktować; zgłoszenie wyślesz przez formularz.
partner-none = Obecnie nie ma działań, do których szukamy partnerów.
partner-when = Termin
partner-where = Miejsce
partner-help = Jakiej pomocy szukamy
partner-contact = Kontakt
partner-until = Zgłoszenia do
partner-until-start = Zgłoszenia do rozpoczęcia
partner-closed = Zgłoszenia zostały zamknięte.
partner-interest-heading = Zgłoś chęć współpracy
partner-field-organization = Organizacja
partner-field-organization-choose = Organizacja, w imieniu której się zgłaszasz
partner-field-organization-other = inna (wpisz nazwę poniżej)
partner-field-organization-name = Nazwa organizacji
partner-field-contact-name = Imię i nazwisko osoby do kontaktu
partner-field-email = E-mail
partner-field-phone = Telefon (nieobowiązkowo)
partner-field-offer = Co możecie zrobić?
partner-offer-hint = Np. „Poprowadzimy stoisko z warsztatami dla dzieci, potrzebujemy namiotu i prądu”.
partner-interest-submit = Wyślij zgłoszenie
partner-home-heading = Szukamy partnerów
flash-interest-sent = Dziękujemy! Zgłoszenie trafiło do osoby kontaktowej; potwierdzenie wysłaliśmy e-mailem.
error-interest-duplicate = Z tego adresu e-mail już zgłoszono chęć współpracy przy tym działaniu.
error-interest-closed = Zgłoszenia do tego działania są już zamknięte.
error-interest-organization = Podaj nazwę organizacji.
error-interest-offer = Napisz, w czym możecie pomóc.
error-partner-email = Podaj poprawny adres e-mail, np. nazwa@example.pl.

panel-partner-title = Działania otwarte na partnerów
panel-partner-lead = Ogłaszaj miejskie działania z dużym wyprzedzeniem: organizacje potrzebują czasu, by zaplanować udział. Zgłoszenia trafiają e-mailem do osoby kontaktowej i są widoczne tutaj.
panel-partner-new = Nowe działanie
panel-partner-edit = Edycja działania „{ $title }”
panel-partner-interests = Zgłoszenia ({ $count })
panel-partner-interests-title = Zgłoszenia: { $title }
panel-partner-export = Pobierz listę (CSV)
panel-partner-none = Nie ma jeszcze zgłoszeń.
panel-partner-status = Stan
partner-status-draft = Szkic (niewidoczne)
partner-status-published = Opublikowane
partner-status-closed = Zamknięte
partner-field-title = Nazwa działania
partner-field-description = Opis
partner-field-help = Jakiej pomocy szukacie
partner-help-hint = Jedna pozycja w wierszu, np. „stoiska z rękodziełem”, „wolontariusze do obsługi parkingu”.
partner-field-start-date = Data rozpoczęcia
partner-field-start-time = Godzina rozpoczęcia (nieobowiązkowo)
partner-field-end-date = Data zakończenia (nieobowiązkowo)
partner-field-place = Miejsce
partner-field-contact-email = E-mail osoby kontaktowej
partner-field-contact-phone = Telefon osoby kontaktowej
partner-field-until = Zgłoszenia przyjmujemy do dnia
partner-until-hint = Zostaw puste, jeśli zgłoszenia są przyjmowane aż do rozpoczęcia.
partner-save = Zapisz
partner-submitted-at = Zgłoszono
flash-partner-saved = Działanie zostało zapisane.
error-partner-title = Podaj nazwę działania (od 3 do 200 znaków).
error-partner-description = Opisz działanie.
error-partner-help = Napisz, jakiej pomocy szukacie.
error-partner-place = Podaj miejsce.
error-partner-contact-name = Podaj imię i nazwisko osoby do kontaktu.
error-partner-status = Wybierz stan z listy.
error-partner-status-move = Działanie, które było już publiczne, nie może wrócić do szkicu; możesz je zamknąć.
error-partner-start = Podaj datę rozpoczęcia (np. 27.03.2027) i ewentualnie godzinę (np. 10:00).
error-partner-start-past = Termin rozpoczęcia minął. Podaj przyszłą datę albo zamknij działanie.
error-partner-end = Data zakończenia nie może być wcześniejsza niż rozpoczęcie.
error-partner-until = Termin zgłoszeń musi przypadać najpóźniej w dniu rozpoczęcia.

mail-interest-new-subject = Nowe zgłoszenie partnera: { $activity }
mail-interest-new-body = Organizacja „{ $organization }” zgłosiła chęć współpracy przy działaniu „{ $activity }”.
mail-interest-new-contact = Kontakt: { $contact }, { $email } { $phone }
mail-interest-offer = Propozycja: { $offer }
mail-interest-new-action = Zobacz wszystkie zgłoszenia
mail-interest-confirm-subject = Potwierdzenie zgłoszenia: { $activity }
mail-interest-confirm-body = Dziękujemy! Zgłoszenie do działania „{ $activity }” wysłane z tego adresu trafiło do urzędu. Osoba kontaktowa odezwie się do Was.
mail-interest-confirm-ignore = Jeśli to nie Ty je wysłałeś/wysłałaś, zignoruj tę wiadomość.
mail-interest-confirm-action = Zobacz opis działania
error-interest-too-many = Z tego adresu wysłano w ostatniej godzinie zbyt wiele zgłoszeń. Spróbuj później albo zaloguj się.

# Panel home page counts (issue 16)
panel-count-declarations = { $count ->
    [one] { $count } zgłoszenie do nadchodzących działań
    [few] { $count } zgłoszenia do nadchodzących działań
   *[many] { $count } zgłoszeń do nadchodzących działań
}
panel-count-media = { $count ->
    [one] { $count } prośba czeka na decyzję
    [few] { $count } prośby czekają na decyzję
   *[many] { $count } próśb czeka na decyzję
}
