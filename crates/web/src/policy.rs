//! The one authorisation policy: who may do what to which record. Every route declares the
//! permission it needs when it is registered (`routes::Routes::add`); handlers working on a record
//! of an organisation ask `can_edit_organization` as well. The route × role matrix test walks every
//! registered route with every kind of user.

use wspolnie_platform::entity::user;

/// Office roles (separate grants on one account).
pub const ROLE_ADMIN: &str = "admin";
pub const ROLE_OFFICIAL: &str = "official";
pub const ROLE_EXPERT: &str = "expert";

/// Scopes of the official role.
pub const SCOPES: &[&str] = &[
    "moderation",
    "mailing",
    "meetings",
    "grants",
    "consultations",
    "programme",
    "decisions",
    "content",
    "reports",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Anyone, signed in or not.
    Public,
    /// Only when signed out (sign-in and sign-up forms).
    Guest,
    /// Any signed-in account.
    SignedIn,
    /// An official with the given scope (or an admin).
    Official(&'static str),
    /// Any official, whatever the scope (or an admin).
    Staff,
    /// A commission expert (or an admin).
    Expert,
    /// An administrator.
    Admin,
    /// Half-way through signing in: password checked, second factor (TOTP) still due.
    MfaPending,
    /// Any session: signed in, or half-way through (signing out works in both).
    AnySession,
}

/// The signed-in account with its grants, as loaded for a request.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: user::Model,
    pub session_id: String,
    pub roles: Vec<(String, String)>,
    pub memberships: Vec<(i64, String)>,
}

impl Account {
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|(r, _)| r == role)
    }

    pub fn is_admin(&self) -> bool {
        self.has_role(ROLE_ADMIN)
    }

    pub fn is_official(&self, scope: &str) -> bool {
        self.roles
            .iter()
            .any(|(r, s)| r == ROLE_OFFICIAL && s == scope)
    }

    pub fn is_staff(&self) -> bool {
        self.is_admin() || self.has_role(ROLE_OFFICIAL)
    }
}

/// Officials and administrators must sign in with a second factor.
pub fn requires_mfa(roles: &[(String, String)]) -> bool {
    roles
        .iter()
        .any(|(r, _)| r == ROLE_ADMIN || r == ROLE_OFFICIAL)
}

/// Whether `account` (None = anonymous) holds `permission`.
pub fn allows(account: Option<&Account>, permission: Permission) -> bool {
    match (permission, account) {
        (Permission::Public, _) => true,
        (Permission::Guest, a) => a.is_none(),
        // Decided by `auth::require`, which sees the pending sign-in; never by an account.
        (Permission::MfaPending, _) => false,
        (_, None) => false,
        (Permission::SignedIn | Permission::AnySession, Some(_)) => true,
        (Permission::Official(scope), Some(a)) => a.is_admin() || a.is_official(scope),
        (Permission::Staff, Some(a)) => a.is_staff(),
        (Permission::Expert, Some(a)) => a.is_admin() || a.has_role(ROLE_EXPERT),
        (Permission::Admin, Some(a)) => a.is_admin(),
    }
}

/// Owners and editors edit their organisation's profile; moderators act on any organisation.
pub fn can_edit_organization(account: Option<&Account>, organization_id: i64) -> bool {
    account.is_some_and(|a| {
        a.memberships.iter().any(|(o, _)| *o == organization_id)
            || a.is_official("moderation")
            || a.is_admin()
    })
}

/// Only owners manage who may edit an organisation.
pub fn can_manage_members(account: Option<&Account>, organization_id: i64) -> bool {
    account.is_some_and(|a| {
        a.memberships
            .iter()
            .any(|(o, r)| *o == organization_id && r == "owner")
            || a.is_admin()
    })
}
