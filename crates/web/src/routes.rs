//! The route table: every route is added with the permission it needs, so no route can exist
//! without one (the matrix test walks `Routes::table`). Areas add theirs in their `routes`
//! function; the kernel adds files, static assets and health checks (`kernel`).

use crate::AppState;
use crate::policy::Permission;
use axum::Router;
use axum::routing::{get, post};

/// One registered route: method, path pattern and the permission it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
    pub permission: Permission,
    /// Answered through the response cache (`Routes::cached`).
    pub cached: bool,
}

/// Builds the router and, at the same time, the table of routes with their permissions, so no
/// route can exist without a declared permission (the matrix test walks this table).
pub struct Routes {
    router: Router<AppState>,
    table: Vec<RouteInfo>,
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes {
    pub fn new() -> Self {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    /// Every route added so far, with its permission.
    pub fn table(&self) -> &[RouteInfo] {
        &self.table
    }

    /// The router with the state and the not-found fallback.
    pub fn into_router(self, state: AppState) -> Router {
        self.router
            .fallback(|| async { crate::errors::AppError::NotFound })
            .with_state(state)
    }

    pub fn add<H, T>(
        self,
        method: &'static str,
        path: &'static str,
        permission: Permission,
        handler: H,
    ) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.route(method, path, permission, handler, false)
    }

    /// A public page, feed or API call that is the same for every anonymous visitor (apart from
    /// language, appearance and the CSRF token): a GET route with `Permission::Public`, answered
    /// through the response cache (`cache`), which keeps its answers until the content version
    /// moves. Pages for a person (token links, forms that show what they typed) use `add`.
    pub fn cached<H, T>(self, path: &'static str, handler: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.route("GET", path, Permission::Public, handler, true)
    }

    fn route<H, T>(
        mut self,
        method: &'static str,
        path: &'static str,
        permission: Permission,
        handler: H,
        cached: bool,
    ) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        let method_router = match method {
            "POST" => post(handler),
            _ => get(handler),
        };
        let mut guarded = method_router.route_layer(axum::middleware::from_fn(move |req, next| {
            crate::auth::require(permission, req, next)
        }));
        if cached {
            guarded = guarded.route_layer(axum::middleware::from_fn(crate::cache::serve));
        }
        self.router = self.router.route(path, guarded);
        self.table.push(RouteInfo {
            method,
            path,
            permission,
            cached,
        });
        self
    }
}

pub fn kernel(r: Routes) -> Routes {
    use Permission::*;
    r.add("GET", "/pliki/{*key}", Public, crate::files::serve)
        .add("GET", "/static/{name}", Public, crate::assets::serve)
        .add("GET", "/healthz", Public, crate::health::healthz)
        .add("GET", "/readyz", Public, crate::health::readyz)
}
