using EserSecurity.Core.SchoolSystems;

namespace EserSecurity.DemoState;

/// <summary>Fictional school systems, school and person names for the demo state.</summary>
internal static class DemoNames
{
    public const string StateEmailDomain = "doe.example.org";

    public static readonly IReadOnlyList<LeaSpec> SchoolSystems =
    [
        Parish("001", "Acadia"), Parish("002", "Allemand"), Parish("003", "Bayou Boeuf"), Parish("004", "Bayou Noir"),
        Parish("005", "Belle Rivière"), Parish("006", "Bois d'Arc"), Parish("007", "Canebrake"), Parish("008", "Cane River"),
        Parish("009", "Chênière"), Parish("010", "Chicot"), Parish("011", "Contraband"), Parish("012", "Côte Blanche"),
        Parish("013", "Cypress"), Parish("014", "Delacroix"), Parish("015", "Felicity"), Parish("016", "Fontaine"),
        Parish("017", "Grand Chenier"), Parish("018", "Grosse Tête"), Parish("019", "Indigo"), Parish("020", "Isle Dernière"),
        Parish("021", "Lac Rouge"), Parish("022", "Little River"), Parish("023", "Live Oak"), Parish("024", "Longleaf"),
        Parish("025", "Magnolia"), Parish("026", "Teche"), Parish("027", "Mallard"), Parish("028", "Marais"),
        Parish("029", "Mermentau"), Parish("030", "Nouvelle"), Parish("031", "Palmetto"), Parish("032", "Pecan Grove"),
        Parish("033", "Pelican"), Parish("034", "Pirogue"), Parish("035", "Pointe Claire"), Parish("036", "Prairie Mamou"),
        Parish("037", "Red Bluff"), Parish("038", "Saint Amand"), Parish("039", "Saint Basile"), Parish("040", "Saint Cécile"),
        Parish("041", "Saint Denis"), Parish("042", "Saint Éloi"), Parish("043", "Saint Hilaire"), Parish("044", "Saint Jude"),
        Parish("045", "Saint Odile"), Parish("046", "Sugarland"), Parish("047", "Tallow Creek"), Parish("048", "Tensas Bend"),
        Parish("049", "Three Rivers"), Parish("050", "Timberline"), Parish("051", "Toledo Bend"), Parish("052", "Tupelo"),
        Parish("053", "Vermilion Bay"), Parish("054", "Villeneuve"), Parish("055", "Washita"), Parish("056", "Willow"),
        City("057", "Bayou City"), City("058", "Port Allemand"), City("059", "Riverbend"), City("060", "Cypress Point"),
        City("061", "Magnolia Springs"),
        Charter("301", "Pelican Charter Academy"), Charter("302", "Bayou STEM Charter School"),
        Charter("303", "Crescent Leadership Academy"), Charter("304", "Live Oak Classical Academy"),
        Charter("305", "Magnolia Preparatory Charter School"), Charter("306", "Cypress Arts Academy"),
        Charter("307", "Heron Bay Community School"), Charter("308", "Riverbend Collegiate Charter"),
        Charter("309", "Sugar Mill Charter School"),
        new("401", "Bayou State Special School District", SchoolSystemKind.Other, "bssd"),
        new("402", "Pelican State University Laboratory School", SchoolSystemKind.Other, "pelicanlab"),
    ];

    /// <summary>Schools of the "other" school systems, which do not follow the parish naming pattern.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> FixedSchools = new Dictionary<string, string[]>
    {
        ["401"] =
        [
            "Bayou State School for the Deaf", "Bayou State School for the Visually Impaired",
            "Riverside Hospital School", "Pelican Youth Center School",
        ],
        ["402"] = ["Pelican State University Laboratory School – Elementary", "Pelican State University Laboratory School – High"],
    };

    public static readonly IReadOnlyList<string> CharterCampuses = ["Elementary Campus", "Middle School Campus", "High School Campus"];

    public static readonly IReadOnlyList<string> SchoolStems =
    [
        "Acadiana", "Alma", "Arbor Oaks", "Audubon", "Bayou Vista", "Bayou Blue", "Beau Chêne", "Belle Place",
        "Bellevue", "Bienville", "Bluebonnet", "Broadmoor", "Brookside", "Caneview", "Carencro", "Cedar Grove",
        "Central", "Claiborne", "Clearview", "Cottonwood", "Country Club", "Crestview", "Cypress Grove", "Dalton",
        "Delmont", "Dogwood", "Dupré", "Eastside", "East Park", "Edgewood", "Evangeline", "Fairview", "Forest Hill",
        "Fountainbleau", "Franklin", "Glen Oaks", "Grand Coteau", "Greenbrier", "Greenville", "Hamilton", "Harmony",
        "Heron Point", "Highland", "Hillcrest", "Holly Ridge", "Indian Bayou", "Jefferson", "Kenilworth", "Lafitte",
        "Lakeshore", "Lakeview", "Laurel Grove", "Lee Street", "Live Oak", "Longfellow", "Magnolia", "Maplewood",
        "Marsh Island", "Meadowview", "Merrydale", "Midway", "Mimosa Park", "Moss Bluff", "Northwood", "Oak Forest",
        "Oak Park", "Oakwood", "Old Spanish Trail", "Palmetto", "Park Vista", "Pecan Ridge", "Pine Grove", "Pine Ridge",
        "Plantation Park", "Pleasant Hill", "Port Barre", "Prairie View", "Quail Run", "Red Oak", "Ridgewood",
        "River Oaks", "Riverside", "Rosedale", "Sabine", "Shady Grove", "Southside", "South Park", "Spring Creek",
        "Sugar Mill", "Sunnyside", "Sunset", "Tanglewood", "Teche", "Twin Oaks", "University Terrace", "Valley Park",
        "Walnut Hill", "Westdale", "Westside", "Westwood", "Whispering Pines", "Wildwood", "Willow Bend", "Woodlawn",
        "Woodvale", "A. B. Simon", "Alice Thibodeaux", "Armand Guidry", "Celestine Broussard", "Claude Melançon",
        "E. J. Landry", "Eula Britton", "Geneva Hébert", "Henri Dupuy", "Ida Fontenot", "J. D. Verret",
        "Josephine Doucet", "L. J. Alleman", "Lucille Mouton", "Marguerite Savoie", "Odile Arceneaux", "Paul Breaux",
        "R. K. Smith", "Sarah Robichaux", "Victor Naquin", "Wilhelmina Trahan", "Zénon Pitre",
    ];

    public static readonly IReadOnlyList<(string Suffix, float Weight)> SchoolLevels =
    [
        ("Elementary School", 50), ("Middle School", 18), ("High School", 15), ("Primary School", 5),
        ("Junior High School", 3), ("Academy", 3), ("Early Learning Center", 2), ("Alternative School", 2),
        ("Magnet Academy", 2),
    ];

    public static readonly IReadOnlyList<string> SchoolGroupNames =
    [
        "Southside Schools", "East Feeder Zone", "West Feeder Zone", "Early Childhood Centers",
        "Alternative Programs", "Bayou Cluster", "River Road Cluster", "Rural Schools",
    ];

    public static readonly IReadOnlyList<string> CajunSurnames =
    [
        "Thibodeaux", "Boudreaux", "Hébert", "LeBlanc", "Guidry", "Broussard", "Landry", "Fontenot", "Richard",
        "Arceneaux", "Breaux", "Comeaux", "Doucet", "Dupuis", "Gautreaux", "Mouton", "Naquin", "Pitre",
        "Robichaux", "Savoie", "Theriot", "Trahan", "Verret", "Babineaux", "Bergeron", "Chauvin", "Cormier",
        "Daigle", "Domingue", "Fournet", "Granger", "Guillory", "Lafleur", "Lejeune", "Melançon", "Ardoin",
        "Bourque", "Champagne", "Delcambre", "Falgoust", "Gaspard", "Hebert", "Istre", "Judice", "Lalonde",
        "Ortego", "Prejean", "Romero", "Sonnier", "Touchet", "Castille", "Dauzat", "Deshotel", "Fruge",
        "Guilbeau", "LaCour", "Lanclos", "Soileau", "St. Romain", "Thériot", "Bénard", "Dugas", "Hidalgo",
        "Leger", "Menard", "Ancelet", "Boutté", "Cheramie", "Dartez", "Faulk",
    ];

    public static readonly IReadOnlyList<string> OtherSurnames =
    [
        "Nguyen", "Tran", "Pham", "Le", "Vu", "Hernández", "García", "Martínez", "Rodríguez", "López", "Ortiz",
        "Ramírez", "Castillo", "Núñez", "O'Quinn", "O'Neal", "Fontenot-Lee",
    ];

    public static readonly IReadOnlyList<string> CommonSurnames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Davis", "Miller", "Wilson", "Moore", "Taylor", "Anderson",
        "Thomas", "Jackson", "White", "Harris", "Martin", "Thompson", "Robinson", "Clark", "Lewis", "Walker", "Hall",
        "Allen", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Carter", "Mitchell",
        "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris",
        "Rogers", "Reed", "Cook", "Morgan", "Bell", "Murphy", "Bailey", "Cooper", "Richardson", "Cox", "Howard",
        "Ward", "Peterson", "Gray", "James", "Watson", "Brooks", "Kelly", "Sanders", "Price", "Bennett", "Wood",
        "Barnes", "Ross", "Henderson", "Coleman", "Jenkins", "Perry", "Powell", "Long", "Patterson", "Hughes",
        "Washington", "Butler", "Simmons", "Foster", "Bryant", "Alexander", "Russell", "Griffin", "Hayes", "Myers",
        "Ford", "Graham", "Wallace", "Woods", "Cole", "West", "Jordan", "Owens", "Reynolds", "Fisher", "Ellis",
        "Harrison", "Gibson", "McDonald", "Marshall", "Murray", "Freeman", "Wells", "Webb", "Simpson", "Stevens",
        "Tucker", "Porter", "Hunter", "Hicks", "Crawford", "Boyd", "Mason", "Warren", "Dixon", "Burns", "Gordon",
        "Shaw", "Holmes", "Rice", "Robertson", "Hunt", "Black", "Daniels", "Palmer", "Mills", "Grant", "Knight",
        "Ferguson", "Stone", "Hawkins", "Dunn", "Perkins", "Hudson", "Spencer", "Gardner", "Stephens", "Payne",
        "Pierce", "Berry", "Matthews", "Arnold", "Willis", "Ray", "Watkins", "Carroll", "Duncan", "Hart",
        "Cunningham", "Bradley", "Lane", "Andrews", "Harper", "Fox", "Riley", "Armstrong", "Carpenter", "Weaver",
        "Greene", "Lawrence", "Elliott", "Sims", "Austin", "Peters", "Franklin", "Lawson", "McGee", "Batiste",
        "Celestine", "Jolivette", "Chenier",
    ];

    public static readonly IReadOnlyList<string> AccentedFemaleNames =
    [
        "Renée", "Noémie", "Chloé", "Zoë", "Hélène", "Josée", "Aimée", "Cécile", "Désirée", "Thérèse", "Anaïs",
        "Mélanie", "Élodie", "Inés", "Raphaëlle",
    ];

    public static readonly IReadOnlyList<string> AccentedMaleNames =
    [
        "André", "Émile", "Rémy", "Lucien", "René", "Noël", "Mathéo", "José", "Jérôme", "Ulysse", "Aurélien",
    ];

    private static LeaSpec Parish(string code, string name) =>
        new(code, $"{name} Parish School System", SchoolSystemKind.ParishOrCitySystem, Slug(name));

    private static LeaSpec City(string code, string name) =>
        new(code, name.EndsWith(" City", StringComparison.Ordinal) ? $"{name} Schools" : $"{name} City Schools",
            SchoolSystemKind.ParishOrCitySystem, Slug(name) + "city");

    private static LeaSpec Charter(string code, string name) =>
        new(code, name, SchoolSystemKind.Charter, Slug(name.Replace(" School", "").Replace(" Charter", "")));

    /// <summary>Lowercase ASCII letters with accents folded: "Belle Rivière" gives "belleriviere", "O'Quinn" gives "oquinn".</summary>
    public static string Slug(string text)
    {
        var decomposed = text.Normalize(System.Text.NormalizationForm.FormD);
        var letters = decomposed.Where(char.IsAsciiLetter).Select(char.ToLowerInvariant);
        return string.Concat(letters);
    }
}

/// <param name="EmailSlug">The school system's mail domain label, as in "name@teche.k12.example.org".</param>
internal sealed record LeaSpec(string Code, string Name, SchoolSystemKind Kind, string EmailSlug);
