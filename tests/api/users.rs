//! Accounts: what admins may do and nobody else may.

use imprint::domain::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;

const CREATE: &str = "mutation($input: CreateUserInput!) { createUser(input: $input) { id email displayName roles position } }";

fn new_user(email: &str) -> Value {
    json!({ "input": {
        "email": email,
        "displayName": "Sergey Ryabkov",
        "password": "a long enough password",
        "roles": ["AUTHOR"],
        "position": "Deputy Minister of Foreign Affairs of the Russian Federation",
        "affiliation": "Russian Foreign Ministry"
    }})
}

#[tokio::test]
async fn an_admin_creates_users_who_can_then_log_in() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with("admin@imprint.test", &[Role::Admin]).await;
    let created = app
        .gql(Some(&admin), CREATE, new_user("Ryabkov@Example.org"))
        .await
        .ok();
    let user = &created.data()["createUser"];
    assert_eq!(user["email"], "ryabkov@example.org");
    assert_eq!(user["roles"], json!(["AUTHOR"]));
    assert_eq!(
        user["position"],
        "Deputy Minister of Foreign Affairs of the Russian Federation"
    );

    let login = app
        .gql(
            None,
            "mutation { login(email: \"ryabkov@example.org\", password: \"a long enough password\") { user { id } } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(login.data()["login"]["user"]["id"], user["id"]);
}

#[tokio::test]
async fn bad_account_input_is_bad_user_input_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with("admin@imprint.test", &[Role::Admin]).await;
    let mut cases = vec![];
    let mut short_password = new_user("a@imprint.test");
    short_password["input"]["password"] = json!("short");
    cases.push(short_password);
    cases.push(new_user("not-an-email"));
    let mut blank_name = new_user("b@imprint.test");
    blank_name["input"]["displayName"] = json!("   ");
    cases.push(blank_name);
    cases.push(new_user("ADMIN@imprint.test"));
    for variables in cases {
        let response = app.gql(Some(&admin), CREATE, variables.clone()).await;
        assert_eq!(response.error_code(), Some("BAD_USER_INPUT"), "{variables}");
    }
    let count = app
        .gql(Some(&admin), "{ users { totalCount } }", json!({}))
        .await
        .ok();
    assert_eq!(count.data()["users"]["totalCount"], 1);
}

#[tokio::test]
async fn admin_operations_are_forbidden_to_every_other_role_and_need_a_login() {
    let app = TestApp::spawn().await;
    let target = app
        .create_user("target@imprint.test", &[Role::Author])
        .await;
    let operations = [
        ("{ users { totalCount } }", json!({})),
        (CREATE, new_user("new@imprint.test")),
        (
            "mutation($id: ID!) { setUserRoles(id: $id, roles: [ADMIN]) { id } }",
            json!({ "id": target.to_string() }),
        ),
        (
            "mutation($id: ID!) { disableUser(id: $id) { id } }",
            json!({ "id": target.to_string() }),
        ),
        (
            "mutation($id: ID!) { enableUser(id: $id) { id } }",
            json!({ "id": target.to_string() }),
        ),
    ];
    let mut viewers = vec![];
    for (i, role) in [Role::Author, Role::Translator, Role::Reviewer, Role::Editor]
        .into_iter()
        .enumerate()
    {
        let (_, token) = app
            .user_with(&format!("user{i}@imprint.test"), &[role])
            .await;
        viewers.push((role.to_string(), Some(token)));
    }
    viewers.push(("anonymous".into(), None));
    for (who, token) in &viewers {
        for (query, variables) in &operations {
            let response = app.gql(token.as_deref(), query, variables.clone()).await;
            let expected = if token.is_some() {
                "FORBIDDEN"
            } else {
                "UNAUTHENTICATED"
            };
            assert_eq!(response.error_code(), Some(expected), "{who}: {query}");
        }
    }
    let me = app.login("target@imprint.test").await;
    let still = app
        .gql(Some(&me), "{ me { roles disabled } }", json!({}))
        .await
        .ok();
    assert_eq!(
        still.data()["me"],
        json!({ "roles": ["AUTHOR"], "disabled": false })
    );
}

#[tokio::test]
async fn an_admin_cannot_lock_themselves_out() {
    let app = TestApp::spawn().await;
    let (admin_id, admin) = app.user_with("admin@imprint.test", &[Role::Admin]).await;
    let id = json!({ "id": admin_id.to_string() });
    let demote = app
        .gql(
            Some(&admin),
            "mutation($id: ID!) { setUserRoles(id: $id, roles: [EDITOR]) { id } }",
            id.clone(),
        )
        .await;
    assert_eq!(demote.error_code(), Some("BAD_USER_INPUT"));
    let disable = app
        .gql(
            Some(&admin),
            "mutation($id: ID!) { disableUser(id: $id) { id } }",
            id,
        )
        .await;
    assert_eq!(disable.error_code(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn unknown_users_are_not_found() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with("admin@imprint.test", &[Role::Admin]).await;
    for id in ["999999", "not-a-number"] {
        let response = app
            .gql(
                Some(&admin),
                "mutation($id: ID!) { disableUser(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(response.error_code(), Some("NOT_FOUND"), "{id}");
    }
}

#[tokio::test]
async fn the_user_list_pages_by_cursor() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with("admin@imprint.test", &[Role::Admin]).await;
    for i in 0..4 {
        app.create_user(&format!("user{i}@imprint.test"), &[Role::Author])
            .await;
    }
    let page = "query($after: String) { users(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { email } } } }";
    let mut after = Value::Null;
    let mut seen = vec![];
    loop {
        let response = app
            .gql(Some(&admin), page, json!({ "after": after }))
            .await
            .ok();
        let users = &response.data()["users"];
        assert_eq!(users["totalCount"], 5);
        for edge in users["edges"].as_array().unwrap() {
            seen.push(edge["node"]["email"].as_str().unwrap().to_owned());
        }
        if users["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = users["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen.len(), 5);
    assert_eq!(seen[0], "admin@imprint.test");
}

#[tokio::test]
async fn other_peoples_email_and_roles_are_hidden() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.user_with("admin@imprint.test", &[Role::Admin]).await;
    let created = app
        .gql(Some(&admin), CREATE, new_user("ryabkov@example.org"))
        .await
        .ok();
    // The admin sees the details; the payload is shaped for the viewer who asked.
    assert_eq!(created.data()["createUser"]["email"], "ryabkov@example.org");
}
