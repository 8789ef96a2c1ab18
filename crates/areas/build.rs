fn main() {
    // Templates are compiled in; rebuild when one changes.
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=../web/templates");
    println!("cargo:rerun-if-changed=../platform/templates");
}
