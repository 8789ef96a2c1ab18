//! meetings

pub mod demo;
pub mod limits;
pub mod mail;
pub mod model;
pub mod personal;
pub mod web;
pub mod entity;

use wspolnie_web::policy::Permission;
use wspolnie_web::routes::Routes;

/// The routes of this area with their permissions.
pub fn routes(r: Routes) -> Routes {
    use Permission::*;
    r.cached("/spotkania", web::public_list)
    .cached("/spotkania/{slug}", web::public_page)
    .add("GET", "/spotkania/{slug}/odpowiedz", Public, web::answer_form)
    .add("POST", "/spotkania/{slug}/odpowiedz", Public, web::answer_submit)
    .add("GET", "/panel/moje-spotkania", SignedIn, web::mine)
    .add("GET", "/panel/spotkania", Official("meetings"), web::panel_list)
    .add("GET", "/panel/spotkania/nowe", Official("meetings"), web::new_page)
    .add("POST", "/panel/spotkania/nowe", Official("meetings"), web::create)
    .add("GET", "/panel/spotkania/{id}", Official("meetings"), web::show)
    .add("GET", "/panel/spotkania/{id}/edycja", Official("meetings"), web::edit_page)
    .add("POST", "/panel/spotkania/{id}/edycja", Official("meetings"), web::edit)
    .add("POST", "/panel/spotkania/{id}/zaproszenia", Official("meetings"), web::invite)
    .add("POST", "/panel/spotkania/{id}/odwolaj", Official("meetings"), web::cancel)
    .add("POST", "/panel/spotkania/{id}/protokol", Official("meetings"), web::minutes)
    .add("GET", "/panel/spotkania/{id}/lista.csv", Official("meetings"), web::attendance_csv)
    .add("GET", "/panel/spotkania/{id}/lista.pdf", Official("meetings"), web::attendance_pdf)
}

/// What this area adds to the application.
pub const AREA: crate::area::Area = crate::area::Area {
    routes,
    mail: Some(mail::body),
    nav: &[wspolnie_web::ctx::NavLink {
        href: "/spotkania",
        label: "nav-meetings",
        order: 30,
    }],
    jobs,
    tables: personal::TABLES,
    personal_data: Some(&personal::Meetings),
    demo: Some(&demo::Demo),
    panel: &[
        wspolnie_web::ctx::PanelLink {
            href: "/panel/moje-spotkania",
            label: "meeting-mine-title",
            permission: wspolnie_web::policy::Permission::SignedIn,
            group: wspolnie_web::ctx::PanelGroup::Organisations,
            order: 40,
            count: Some(wspolnie_web::ctx::PanelCount {
                count: model::my_unanswered_count,
                label: "panel-count-my-invitations",
            }),
        },
        wspolnie_web::ctx::PanelLink {
            href: "/panel/spotkania",
            label: "meeting-panel-title",
            permission: wspolnie_web::policy::Permission::Official("meetings"),
            group: wspolnie_web::ctx::PanelGroup::Communication,
            order: 20,
            count: Some(wspolnie_web::ctx::PanelCount {
                count: model::unanswered_meetings_count,
                label: "panel-count-unanswered-meetings",
            }),
        },
    ],
    public_tables: &["meetings"],
    ..crate::area::Area::new("meetings")
};

fn jobs(r: &mut wspolnie_platform::jobs::Registry) {
    r.register(model::REMINDER_JOB, model::ReminderHandler);
}
