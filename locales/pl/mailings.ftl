# Wysyłki urzędu, cotygodniowe podsumowanie i sprawdzanie adresów (issue 6)

mailing-title = Wysyłki e-mail
mailing-lead = Informacje do organizacji i subskrybentów: nabory, kalendarz, zaproszenia. Każda wiadomość idzie osobno do każdego odbiorcy, ze stopką urzędu.
mailing-none = Nie ma jeszcze żadnych wysyłek.
mailing-new-title = Nowa wysyłka
mailing-edit-title = Wysyłka: { $title }
mailing-field-subject = Temat
mailing-field-body = Treść
mailing-body-hint = Markdown: pusty wiersz oddziela akapity, **pogrubienie**, [tekst linku](https://adres), „- ” na początku wiersza tworzy listę, „## ” śródtytuł. Wersję tekstową przygotujemy sami.
mailing-field-lang = Język wiadomości
mailing-lang-pl = polski
mailing-lang-en = angielski
mailing-audience = Odbiorcy
mailing-audience-hint = Zaznacz jedną lub więcej grup. Każdy adres dostanie jedną wiadomość, nawet jeśli należy do kilku grup.
mailing-audience-organizations = Wszystkie organizacje z katalogu (adres kontaktowy)
mailing-audience-spheres = Organizacje działające w sferach
mailing-audience-topics = Subskrybenci newslettera, którzy wybrali temat
mailing-audience-custom = Inne adresy
mailing-custom-hint = Jeden adres w wierszu (można też oddzielać przecinkiem lub średnikiem).
mailing-when = Termin wysyłki
mailing-when-hint = Zostaw puste, aby wysłać od razu po kliknięciu „Wyślij”.
mailing-field-date = Dzień
mailing-field-time = Godzina
mailing-preview = Podgląd
mailing-save = Zapisz szkic
mailing-test = Wyślij test do mnie
mailing-send = Wyślij
mailing-test-sent = Wiadomość testowa jest w drodze na adres { $email }. Szkic zapisano.
mailing-preview-audience = { $count ->
    [one] Wiadomość trafi do 1 adresu
    [few] Wiadomość trafi do { $count } adresów
   *[other] Wiadomość trafi do { $count } adresów
  }. Adresy, na które poczta nie dochodzi (pominiemy je): { $n }.
mailing-preview-organizations = organizacje: { $count }
mailing-preview-subscribers = subskrybenci: { $count }
mailing-preview-custom = inne adresy: { $count }
mailing-preview-html = Wersja HTML
mailing-preview-text = Wersja tekstowa
mailing-content = Treść wiadomości
mailing-recipients = Odbiorcy i stan doręczenia
mailing-filter = Filtr odbiorców
mailing-filter-all = Wszyscy ({ $count })
mailing-export = Pobierz listę odbiorców (CSV)
mailing-no-recipients = Brak odbiorców w tym widoku.
mailing-cancel = Wstrzymaj wysyłkę
mailing-progress = wysłano { $count } z { $total }
mailing-col-kind = Rodzaj
mailing-col-status = Stan
mailing-col-when = Termin
mailing-col-progress = Postęp
mailing-col-scheduled = Zaplanowano na
mailing-col-finished = Zakończono
mailing-col-recipients = Liczba odbiorców
mailing-col-email = Adres
mailing-col-source = Skąd
mailing-col-attempts = Próby
mailing-col-sent = Wysłano
mailing-col-confirmed = Potwierdzono
mailing-col-error = Odpowiedź serwera
mailing-kind-manual = wysyłka urzędu
mailing-kind-digest = podsumowanie tygodnia
mailing-kind-address_check = sprawdzenie adresów
mailing-status-draft = szkic
mailing-status-scheduled = zaplanowana
mailing-status-sending = w trakcie wysyłki
mailing-status-sent = wysłana
mailing-status-cancelled = wstrzymana
mailing-rstatus-pending = czeka
mailing-rstatus-sent = wysłano
mailing-rstatus-failed = nie udało się
mailing-rstatus-bounced = adres nie działa
mailing-rstatus-skipped = pominięto (adres nie działa)
mailing-rstatus-unconfirmed = niepotwierdzone przez serwer
mailing-unconfirmed = Niepotwierdzone przez serwer pocztowy
mailing-unconfirmed-hint = { $count } { $count ->
    [one] wiadomość została przekazana
    [few] wiadomości zostały przekazane
   *[other] wiadomości zostało przekazanych
  } serwerowi pocztowemu, ale połączenie zerwało się przed jego potwierdzeniem: mogły dojść albo nie. Ponowna wysyłka ma ten sam identyfikator wiadomości, więc program pocztowy, który dostał obie, pokaże jedną.
mailing-resend-unconfirmed = Wyślij ponownie niepotwierdzone ({ $count })
mailing-source-organization = organizacja
mailing-source-subscriber = subskrybent
mailing-source-custom = dodany ręcznie
mailing-source-meeting = zaproszony na spotkanie
flash-mailing-saved = Zapisano szkic wysyłki.
flash-mailing-scheduled = Wysyłka zaplanowana. Do tego czasu możesz ją wstrzymać i poprawić.
flash-mailing-sending = Wysyłka ruszyła. Stan doręczeń widać poniżej.
flash-mailing-not-draft = Tej wysyłki nie można już zmieniać: została zlecona.
flash-mailing-cancelled = Wysyłkę wstrzymano.
flash-mailing-resent = Niepotwierdzone wiadomości wysyłane są ponownie.
flash-mailing-nothing-to-resend = Nie ma niepotwierdzonych wiadomości do ponownej wysyłki.
flash-mailing-not-cancellable = Tej wysyłki nie można już wstrzymać.
flash-address-check-started = Prośby o potwierdzenie adresu wychodzą do organizacji.
mailing-error-subject = Podaj temat (od 3 do 200 znaków, w jednym wierszu).
mailing-error-body = Wpisz treść wiadomości.
mailing-error-body-long = Treść jest za długa (najwyżej 100 000 znaków).
mailing-error-sphere = Wybierz sfery z listy.
mailing-error-topic = Wybierz tematy z listy.
mailing-error-custom = Te wiersze nie zawierają poprawnego adresu e-mail: { $lines }.
mailing-error-custom-many = Jedna wysyłka może mieć najwyżej { $max } dodanych ręcznie adresów.
mailing-error-audience = Wybierz, do kogo wysłać wiadomość.
mailing-error-send-past = Termin wysyłki już minął. Podaj przyszły termin albo zostaw puste pola.
mailing-error-send-at = Podaj dzień i godzinę wysyłki (np. 2027-01-15 i 09:00) albo zostaw oba pola puste.
mailing-reason-organization = Otrzymujesz tę wiadomość, bo ten adres jest adresem kontaktowym organizacji w katalogu organizacji pozarządowych.
mailing-reason-subscriber = Otrzymujesz tę wiadomość, bo zapisano ten adres na informacje dla organizacji pozarządowych.
mailing-reason-custom = Otrzymujesz tę wiadomość jako adresat wskazany przez urząd.
mailing-reason-meeting = Otrzymujesz tę wiadomość, bo ten adres został zaproszony na spotkanie urzędu z organizacjami.
mailing-error-meeting = Wybierz spotkanie z listy.
mailing-reason-test = To jest wiadomość testowa: tak zobaczą ją odbiorcy.
mailing-unsubscribe = Zmień tematy lub wypisz się
mailing-test-prefix = TEST
address-check-start = Poproś organizacje o potwierdzenie adresów
address-check-hint = Każda organizacja z katalogu dostanie wiadomość z przyciskiem „Adres jest aktualny”. Wyniki zobaczysz w wysyłce: potwierdzone, niepotwierdzone i niedziałające adresy.
address-check-subject = Czy ten adres e-mail jest nadal aktualny?
address-check-body =
    Dzień dobry,

    poczta elektroniczna jest podstawowym kanałem komunikacji urzędu z organizacjami pozarządowymi. Prosimy o potwierdzenie, że ten adres jest nadal właściwy do kontaktu z Państwa organizacją — wystarczy kliknąć przycisk poniżej.

    Jeśli adres się zmienił, prosimy o poprawienie go w profilu organizacji w katalogu.
address-check-button = Adres jest aktualny
address-check-confirmed = Potwierdzone
address-check-unconfirmed = Niepotwierdzone
address-confirm-title = Potwierdzenie adresu e-mail
address-confirm-lead = Potwierdź, że adres { $email } jest nadal właściwy do kontaktu z organizacją.
address-confirm-done = Dziękujemy. Adres { $email } jest potwierdzony.
address-confirm-wrong = Jeśli adres się zmienił, zaloguj się i popraw go w profilu organizacji.
digest-subject = Podsumowanie tygodnia dla organizacji pozarządowych ({ $date })
digest-intro = Co nowego w strefie NGO w ostatnim tygodniu:
digest-events = Nowe wydarzenia w kalendarzu
digest-partners = Działania miasta, do których szukamy partnerów
digest-news = Aktualności
digest-outro = Kalendarz i wszystkie aktualności są na stronie strefy NGO.
panel-mailings = Wysyłki e-mail

addresses-title = Adresaci i niedziałające adresy
addresses-subscribers = Subskrybenci newslettera
addresses-by-topic = Aktywni subskrybenci według tematów
addresses-search = Szukaj adresu
addresses-search-submit = Szukaj
addresses-since = Od
addresses-bouncing = Niedziałające adresy
addresses-bouncing-lead = Serwer odbiorcy trwale odrzucił wiadomość na te adresy. Kolejne wysyłki je pomijają, a katalog pokazuje to przy organizacji. Potwierdzenie adresu przez organizację albo „Zapomnij” przywraca adres.
addresses-no-bounces = Nie ma niedziałających adresów.
addresses-organization = Organizacja
addresses-bounced-at = Odrzucono
addresses-forget = Zapomnij
flash-bounce-cleared = Adres znów będzie otrzymywał wysyłki.
subscriber-status-active = aktywni
subscriber-status-pending = czekają na potwierdzenie
subscriber-status-unsubscribed = wypisani
mailing-insert-calendar = Wstaw kalendarz na 30 dni
mailing-calendar-heading = Kalendarz na najbliższe { $count } dni
mailing-calendar-empty = W tym czasie nie ma jeszcze wydarzeń w kalendarzu.
mailing-calendar-more = Cały kalendarz

# Panel home page counts (issue 16)
panel-count-unconfirmed = { $count ->
    [one] { $count } wysyłka z niepotwierdzonym doręczeniem
    [few] { $count } wysyłki z niepotwierdzonym doręczeniem
   *[many] { $count } wysyłek z niepotwierdzonym doręczeniem
}
addresses-none-found = Nie znaleziono subskrybentów o takim adresie.
addresses-none-yet = Nikt jeszcze nie zapisał się na newsletter.
