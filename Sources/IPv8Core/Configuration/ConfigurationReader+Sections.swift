extension ConfigurationReader {
    mutating func configuration(_ value: JSONValue) -> Configuration? {
        guard let top = members(value, "", allowed: ["interfaces", "keys", "logger", "working_directory",
                                                     "walker_interval", "overlays", "admission", "rest"]) else {
            return nil
        }
        var config = Configuration(interfaces: [], keys: [], overlays: [])
        if let items = array(top["interfaces"], "interfaces", required: false) {
            config.interfaces = items.enumerated().compactMap { interface($1, "interfaces[\($0)]") }
        }
        if top["interfaces"] == nil { config.interfaces = [Configuration.Interface()] }
        if let items = array(top["keys"], "keys") {
            config.keys = items.enumerated().compactMap { key($1, "keys[\($0)]") }
        }
        var seen = Set<String>()
        for (i, k) in config.keys.enumerated() where !seen.insert(k.alias).inserted {
            fail("keys[\(i)].alias", "duplicate alias \"\(k.alias)\"")
        }
        if let logger = top["logger"], let fields = members(logger, "logger", allowed: ["level"]) {
            if let level = string(fields["level"], "logger.level", default: "INFO") {
                if Configuration.logLevels.contains(level.uppercased()) { config.logLevel = level.uppercased() }
                else { fail("logger.level", "unknown level \"\(level)\" (known: \(oneOf(Configuration.logLevels)))") }
            }
        }
        config.workingDirectory = string(top["working_directory"], "working_directory", default: ".") ?? "."
        if let interval = top["walker_interval"] {
            if let d = interval.doubleValue, d.isFinite, d > 0 { config.walkerInterval = d }
            else if interval.doubleValue != nil { fail("walker_interval", "must be a positive number of seconds") }
            else { fail("walker_interval", "expected a number, found \(kind(interval))") }
        }
        if let items = array(top["overlays"], "overlays") {
            config.overlays = items.enumerated().compactMap { overlay($1, "overlays[\($0)]", keys: Set(config.keys.map(\.alias))) }
        }
        if let section = top["admission"], let fields = members(section, "admission", allowed: ["share", "newcomer_share", "per_source_rate"]) {
            if let share = fields["share"] {
                if let d = share.doubleValue, d.isFinite, d > 0, d <= 1 { config.admission.share = d }
                else if share.doubleValue != nil { fail("admission.share", "must be a number in (0, 1]") }
                else { fail("admission.share", "expected a number, found \(kind(share))") }
            }
            if let newcomers = fields["newcomer_share"] {
                if let d = newcomers.doubleValue, d.isFinite, d >= 0, d <= 1 { config.admission.newcomerShare = d }
                else if newcomers.doubleValue != nil { fail("admission.newcomer_share", "must be a number in [0, 1]") }
                else { fail("admission.newcomer_share", "expected a number, found \(kind(newcomers))") }
            }
            if let rate = fields["per_source_rate"], rate != .null {
                if let d = rate.doubleValue, d.isFinite, d > 0 { config.admission.perSourceRate = d }
                else if rate.doubleValue != nil { fail("admission.per_source_rate", "must be a positive number of datagrams per second") }
                else { fail("admission.per_source_rate", "expected a number or null, found \(kind(rate))") }
            }
        }
        if let section = top["rest"], let fields = members(section, "rest", allowed: ["ip", "port", "api_key"]) {
            var rest = Configuration.REST()
            if let ip = string(fields["ip"], "rest.ip", default: rest.ip) {
                if Address(ip: ip, port: 0) == nil { fail("rest.ip", "\"\(ip)\" is not an IP address") }
                rest.ip = ip
            }
            if let port = fields["port"] {
                if let n = port.integerValue, (0...65535).contains(n) { rest.port = Int(n) }
                else if port.doubleValue != nil { fail("rest.port", "must be a TCP port, 0...65535") }
                else { fail("rest.port", "expected a number, found \(kind(port))") }
            }
            if let key = fields["api_key"], key != .null {
                if let text = key.stringValue, !text.isEmpty { rest.apiKey = text }
                else { fail("rest.api_key", "expected a non-empty string or null, found \(kind(key))") }
            }
            config.rest = rest
        }
        return config
    }

    mutating func interface(_ value: JSONValue, _ path: String) -> Configuration.Interface? {
        guard let f = members(value, path, allowed: ["interface", "ip", "port"]) else { return nil }
        var result = Configuration.Interface()
        if let name = string(f["interface"], join(path, "interface")) {
            if Configuration.interfaceNames.contains(name) { result.interface = name }
            else { fail(join(path, "interface"), "unknown interface \"\(name)\" (known: \(oneOf(Configuration.interfaceNames)))") }
        }
        let defaultIP = result.interface == "UDPIPv6" ? "::" : "0.0.0.0"
        if let ip = string(f["ip"], join(path, "ip"), default: defaultIP) {
            if Address(ip: ip, port: 0) == nil { fail(join(path, "ip"), "\"\(ip)\" is not an IP address") }
            result.ip = ip
        }
        if let port = integer(f["port"], join(path, "port"), default: 8090) {
            if let p = UInt16(exactly: port) { result.port = p }
            else { fail(join(path, "port"), "\(port) is not a port number (0-65535)") }
        }
        return result
    }

    mutating func key(_ value: JSONValue, _ path: String) -> Configuration.Key? {
        guard let f = members(value, path, allowed: ["alias", "generation", "file", "bin"]) else { return nil }
        guard let alias = string(f["alias"], join(path, "alias")) else { return nil }
        if alias.isEmpty { fail(join(path, "alias"), "must not be empty") }
        var result = Configuration.Key(alias: alias)
        if let generation = string(f["generation"], join(path, "generation"), default: "curve25519") {
            if Configuration.keyGenerations.contains(generation) { result.generation = generation }
            else { fail(join(path, "generation"), "unknown generation \"\(generation)\" (known: \(oneOf(Configuration.keyGenerations)))") }
        }
        result.file = string(f["file"], join(path, "file"), default: "") ?? ""
        if let bin = f["bin"] {
            if let text = string(bin, join(path, "bin")) {
                if Base64.decode(text) == nil { fail(join(path, "bin"), "not valid base64") }
                result.bin = text
            }
        }
        return result
    }

    mutating func overlay(_ value: JSONValue, _ path: String, keys: Set<String>) -> Configuration.Overlay? {
        guard let f = members(value, path, allowed: ["class", "key", "walkers", "bootstrappers", "initialize", "on_start"])
        else { return nil }
        let className = string(f["class"], join(path, "class"))
        let key = string(f["key"], join(path, "key"))
        if let key, !keys.contains(key) {
            fail(join(path, "key"), "no key with alias \"\(key)\" (aliases: \(keys.isEmpty ? "none" : oneOf(keys.sorted())))")
        }
        let walkers = (array(f["walkers"], join(path, "walkers"), required: false) ?? []).enumerated()
            .compactMap { walker($1, "\(path).walkers[\($0)]") }
        let bootstrappers = (array(f["bootstrappers"], join(path, "bootstrappers"), required: false) ?? []).enumerated()
            .compactMap { bootstrapper($1, "\(path).bootstrappers[\($0)]") }
        let initialize = dictionary(f["initialize"], join(path, "initialize")) ?? [:]
        var onStart: [[JSONValue]] = []
        for (i, entry) in (array(f["on_start"], join(path, "on_start"), required: false) ?? []).enumerated() {
            guard case .array(let call) = entry, case .string? = call.first else {
                fail("\(path).on_start[\(i)]", "expected a list starting with a method name")
                continue
            }
            onStart.append(call)
        }
        guard let className, let key else { return nil }
        return Configuration.Overlay(className: className, key: key, walkers: walkers, bootstrappers: bootstrappers,
                                     initialize: initialize, onStart: onStart)
    }

    mutating func walker(_ value: JSONValue, _ path: String) -> Configuration.Walker? {
        guard let f = members(value, path, allowed: ["strategy", "peers", "init"]) else { return nil }
        let strategy = string(f["strategy"], join(path, "strategy"))
        let peers = integer(f["peers"], join(path, "peers"))
        let initArguments = dictionary(f["init"], join(path, "init"))
        guard let strategy, let peers, let initArguments else { return nil }
        if peers < -1 { fail(join(path, "peers"), "must be -1 (always) or a peer count of 0 or more, not \(peers)") }
        return Configuration.Walker(strategy: strategy, peers: peers, initArguments: initArguments)
    }

    mutating func bootstrapper(_ value: JSONValue, _ path: String) -> Configuration.BootstrapperDefinition? {
        guard let f = members(value, path, allowed: ["class", "init"]) else { return nil }
        let className = string(f["class"], join(path, "class"))
        let initArguments = dictionary(f["init"], join(path, "init"))
        guard let className, let initArguments else { return nil }
        if !Configuration.bootstrapperNames.contains(className) {
            fail(join(path, "class"), "unknown bootstrapper \"\(className)\" (known: \(oneOf(Configuration.bootstrapperNames)))")
        }
        return Configuration.BootstrapperDefinition(className: className, initArguments: initArguments)
    }
}
