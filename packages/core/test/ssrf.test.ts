import { describe, expect, it } from "vitest";
import {
  type AddressClass,
  checkEndpointUrl,
  classifyAddress,
  isAllowedAddress,
  type ResolvedAddress,
  resolveAllowedAddresses,
} from "../src/index";

/** Every address a custom endpoint might resolve to, and what the guard must call it. */
const ADDRESS_TABLE: [string, AddressClass][] = [
  // Public IPv4
  ["8.8.8.8", "public"],
  ["1.1.1.1", "public"],
  ["93.184.216.34", "public"],
  ["100.63.255.255", "public"],
  ["100.128.0.0", "public"],
  ["172.15.255.255", "public"],
  ["172.32.0.0", "public"],
  ["192.167.255.255", "public"],
  ["192.169.0.0", "public"],
  ["169.253.255.255", "public"],
  ["198.17.255.255", "public"],
  ["198.20.0.0", "public"],
  ["223.255.255.255", "public"],
  ["11.0.0.1", "public"],
  // Unspecified / this network
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  // Loopback
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["127.1.2.3", "loopback"],
  // RFC 1918
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["192.168.0.1", "private"],
  ["192.168.255.255", "private"],
  // CGNAT 100.64/10
  ["100.64.0.0", "cgnat"],
  ["100.100.100.200", "cgnat"],
  ["100.127.255.255", "cgnat"],
  // Link-local (cloud metadata lives here)
  ["169.254.169.254", "link_local"],
  ["169.254.0.1", "link_local"],
  // Special-purpose
  ["192.0.0.8", "protocol_assignment"],
  ["192.0.2.1", "documentation"],
  ["198.51.100.7", "documentation"],
  ["203.0.113.9", "documentation"],
  ["198.18.0.1", "benchmarking"],
  ["198.19.255.255", "benchmarking"],
  ["192.88.99.1", "reserved"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.254", "reserved"],
  ["255.255.255.255", "broadcast"],
  // Public IPv6
  ["2606:4700:4700::1111", "public"],
  ["2001:4860:4860::8888", "public"],
  ["2a00:1450:4001:80b::200e", "public"],
  ["[2606:4700:4700::1111]", "public"],
  // IPv6 unspecified / loopback
  ["::", "unspecified"],
  ["::1", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  ["[::1]", "loopback"],
  // ULA fc00::/7
  ["fc00::1", "unique_local"],
  ["fd12:3456:789a::1", "unique_local"],
  ["fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "unique_local"],
  // Link-local, site-local, multicast
  ["fe80::1", "link_local"],
  ["febf::1", "link_local"],
  ["fec0::1", "site_local"],
  ["ff02::1", "multicast"],
  ["ff05::1:3", "multicast"],
  // Documentation / protocol assignments / reserved
  ["2001:db8::1", "documentation"],
  ["3fff::1", "documentation"],
  ["2001::1", "protocol_assignment"],
  ["100::1", "reserved"],
  ["64:ff9b:1::1", "ipv4_translated"],
  ["4000::1", "reserved"],
  ["::2:3:4", "reserved"],
  // IPv4-mapped IPv6: judged by the embedded address
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::ffff:10.0.0.1", "private"],
  ["::ffff:192.168.1.1", "private"],
  ["::ffff:169.254.169.254", "link_local"],
  ["::ffff:100.64.1.1", "cgnat"],
  ["::ffff:0.0.0.0", "unspecified"],
  ["::ffff:8.8.8.8", "public"],
  ["0:0:0:0:0:ffff:127.0.0.1", "loopback"],
  ["[::ffff:127.0.0.1]", "loopback"],
  // IPv4-compatible, NAT64 and 6to4 forms
  ["::127.0.0.1", "loopback"],
  ["::10.1.2.3", "private"],
  ["64:ff9b::127.0.0.1", "loopback"],
  ["64:ff9b::a00:1", "private"],
  ["64:ff9b::8.8.8.8", "public"],
  ["2002:7f00:1::", "loopback"],
  ["2002:a9fe:a9fe::1", "link_local"],
  ["2002:0808:0808::1", "public"],
  // Not addresses
  ["localhost", "invalid"],
  ["example.com", "invalid"],
  ["127.1", "invalid"],
  ["0177.0.0.1", "invalid"],
  ["1.2.3.256", "invalid"],
  ["::ffff:1.2.3", "invalid"],
  ["1:2:3:4:5:6:7:8:9", "invalid"],
  ["1::2::3", "invalid"],
  ["fe80::1%eth0", "invalid"],
  ["", "invalid"],
];

describe("classifyAddress", () => {
  it.each(ADDRESS_TABLE)("%s is %s", (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it("allows only public addresses; the loophole adds loopback and nothing else", () => {
    for (const [address, cls] of ADDRESS_TABLE) {
      expect(isAllowedAddress(address, { allowLoopback: false })).toBe(cls === "public");
      expect(isAllowedAddress(address, { allowLoopback: true })).toBe(cls === "public" || cls === "loopback");
    }
  });
});

describe("checkEndpointUrl", () => {
  const strict = { allowLoopback: false };
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
      return "ok";
    } catch (error) {
      return (error as Error).message;
    }
  };

  it("accepts an https URL with a host name and keeps its path", () => {
    const checked = checkEndpointUrl("https://llm.example.com/v1", strict);
    expect(checked.hostname).toBe("llm.example.com");
    expect(checked.literalAddress).toBeNull();
    expect(checked.url.pathname).toBe("/v1");
  });

  it.each([
    ["http://llm.example.com/v1", /https/],
    ["ftp://llm.example.com", /https/],
    ["file:///etc/passwd", /https/],
    ["not a url", /full URL/],
    ["https://user:pw@llm.example.com", /user name/],
    ["https://llm.example.com/v1?x=1", /query/],
    ["https://llm.example.com/v1#frag", /query/],
    ["https://127.0.0.1/v1", /not public \(loopback\)/],
    ["https://127.1/v1", /not public \(loopback\)/],
    ["https://0x7f000001/v1", /not public \(loopback\)/],
    ["https://2130706433/v1", /not public \(loopback\)/],
    ["https://[::1]/v1", /not public \(loopback\)/],
    ["https://[::ffff:169.254.169.254]/", /not public/],
    ["https://169.254.169.254/latest/meta-data", /link_local/],
    ["https://10.0.0.8:8443/v1", /private/],
    ["https://[fd00::1]/v1", /unique_local/],
    ["https://100.64.0.1/v1", /cgnat/],
    ["https://0.0.0.0/v1", /unspecified/],
  ])("refuses %s", (url, message) => {
    expect(codeOf(() => checkEndpointUrl(url, strict))).toMatch(message);
  });

  it("the test loophole allows http and loopback, but still no private ranges", () => {
    const loose = { allowLoopback: true };
    expect(checkEndpointUrl("http://127.0.0.1:9999/v1", loose).literalAddress).toBe("127.0.0.1");
    expect(checkEndpointUrl("http://localhost:9999/v1", loose).hostname).toBe("localhost");
    expect(codeOf(() => checkEndpointUrl("http://10.0.0.1/v1", loose))).toMatch(/private/);
    expect(codeOf(() => checkEndpointUrl("https://169.254.169.254/", loose))).toMatch(/link_local/);
  });
});

describe("resolveAllowedAddresses", () => {
  const resolver =
    (answers: ResolvedAddress[]) =>
    async (_hostname: string): Promise<ResolvedAddress[]> =>
      answers;
  const strict = { allowLoopback: false };

  it("returns the public addresses it checked", async () => {
    const answers = [
      { address: "93.184.216.34", family: 4 },
      { address: "2606:2800:220:1::1", family: 6 },
    ];
    expect(await resolveAllowedAddresses("example.com", resolver(answers), strict)).toEqual(answers);
  });

  it("refuses a host when any answer is not public (a rebinding answer hiding among public ones)", async () => {
    await expect(
      resolveAllowedAddresses(
        "rebind.example",
        resolver([
          { address: "93.184.216.34", family: 4 },
          { address: "127.0.0.1", family: 4 },
        ]),
        strict,
      ),
    ).rejects.toThrow(/resolves to 127\.0\.0\.1.*loopback/);
    await expect(
      resolveAllowedAddresses(
        "meta.example",
        resolver([{ address: "::ffff:169.254.169.254", family: 6 }]),
        strict,
      ),
    ).rejects.toThrow(/link_local/);
  });

  it("refuses unresolvable hosts and empty answers", async () => {
    const failing = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    await expect(resolveAllowedAddresses("nope.invalid", failing, strict)).rejects.toThrow(
      /could not be resolved/,
    );
    await expect(resolveAllowedAddresses("empty.example", resolver([]), strict)).rejects.toThrow(
      /could not be resolved/,
    );
  });

  it("checks IP literals without asking DNS", async () => {
    const never = async (): Promise<ResolvedAddress[]> => {
      throw new Error("DNS must not be asked");
    };
    await expect(resolveAllowedAddresses("10.1.1.1", never, strict)).rejects.toThrow(/private/);
    expect(await resolveAllowedAddresses("8.8.8.8", never, strict)).toEqual([
      { address: "8.8.8.8", family: 4 },
    ]);
  });
});
