extension Duration {
    /// The duration in seconds, the unit protocol code reads time in (``EngineClock/now``).
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
