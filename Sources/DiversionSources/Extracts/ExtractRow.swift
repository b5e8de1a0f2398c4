import DiversionGraph
import DiversionMatching

/// A party as a customs extract writes it: free text.
public struct PartyMention: Sendable, Hashable, Codable {
    /// Trimmed; may be empty or a placeholder such as "TO ORDER" (kept as written; the caller decides).
    public var name: String
    public var address: String?
    public var country: CountryCode?

    public init(name: String, address: String? = nil, country: CountryCode? = nil) {
        self.name = name; self.address = address; self.country = country
    }

    /// Whether the name is empty or one of the placeholders bills of lading write instead of a party (`TO
    /// ORDER`, `TO THE ORDER OF …`, `SAME AS CONSIGNEE`, `N/A`, …: the matcher's list, in its `name-forms.json`).
    /// Offered to callers; the reader keeps the name as written either way.
    public var isPlaceholder: Bool { NameNormalizer.isPlaceholder(name) }
}

/// One shipment of a customs or bill-of-lading extract, as the mapping reads it.
public struct ExtractRow: Sendable, Hashable {
    /// The line of the row (for container lines: the first line of the bill of lading).
    public var line: Int
    /// Every line folded into this row, ascending (one for a `shipment` mapping).
    public var lines: [Int]
    /// The mapped id column, or `<file stem>-<line>` when the mapping gives none.
    public var id: String
    public var date: Day
    public var shipper: PartyMention
    public var consignee: PartyMention
    /// `nil` when the mapping names no notify column or the row leaves it empty.
    public var notify: PartyMention?
    /// Normalised to digits with a dot after the 4th (`854231` → `8542.31`).
    public var hsCode: String?
    public var description: String?
    public var quantity: Double
    public var weightKg: Double?
    public var value: Double?
    public var originCountry: CountryCode?
    /// The bill of lading (or other reference) as written.
    public var reference: String?
    /// The containers of the row's lines, distinct, in file order.
    public var containers: [String]
    public var portOfLoading: String?
    public var portOfDischarge: String?

    public init(
        line: Int, lines: [Int]? = nil, id: String, date: Day, shipper: PartyMention, consignee: PartyMention,
        notify: PartyMention? = nil, hsCode: String? = nil, description: String? = nil, quantity: Double,
        weightKg: Double? = nil, value: Double? = nil, originCountry: CountryCode? = nil, reference: String? = nil,
        containers: [String] = [], portOfLoading: String? = nil, portOfDischarge: String? = nil
    ) {
        self.line = line; self.lines = lines ?? [line]; self.id = id; self.date = date; self.shipper = shipper
        self.consignee = consignee; self.notify = notify; self.hsCode = hsCode; self.description = description
        self.quantity = quantity; self.weightKg = weightKg; self.value = value; self.originCountry = originCountry
        self.reference = reference; self.containers = containers; self.portOfLoading = portOfLoading
        self.portOfDischarge = portOfDischarge
    }
}
