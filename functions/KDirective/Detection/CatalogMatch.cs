namespace KDirective.Detection;

/// <summary>
/// A banned product found in one entry. <see cref="Obfuscated"/> says the entry matched only once look-alike
/// characters were undone (fullwidth letters, invisible characters, Cyrillic or Greek letters in a Latin word).
/// </summary>
public sealed record CatalogMatch(string Product, bool Obfuscated);
