fn main() {
    // Translations are compiled into the binary; rebuild when they change.
    println!("cargo:rerun-if-changed=../../locales");
    println!("cargo:rerun-if-changed=templates");
}
