extension String {
    /// The line without its trailing spaces (what a padded last table column leaves).
    var droppingTrailingSpaces: String { String(reversed().drop(while: { $0 == " " }).reversed()) }
}
