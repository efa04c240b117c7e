fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut map = embargo::rules::SourceMap::new();
    let id = map.add(embargo::rules::SourceFile::new(path.clone(), text.clone()));
    let (file, diags) = embargo::rules::parser::parse(id, &text);
    for d in &diags { eprint!("{}", d.render(&map)); }
    let printed = embargo::rules::print::print_file(&file);
    print!("{printed}");
    let (again, d2) = embargo::rules::parser::parse(id, &printed);
    eprintln!("items={} roundtrip_equal={} reparse_errors={}", file.items.len(), again == file, d2.len());
}
