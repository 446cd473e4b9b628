package dev.teal.proxy;

import java.nio.charset.StandardCharsets;

/** Request heads the benchmarks decode and rewrite: what a load tool sends, and what a browser sends. */
enum RequestHeads {
    /** wrk's or curl's few headers. */
    TOOL("GET /api/items?page=2 HTTP/1.1\r\n"
            + "Host: shop.example.com\r\n"
            + "User-Agent: curl/7.88.1\r\n"
            + "Accept: */*\r\n"
            + "\r\n"),
    /** A browser's navigation behind another proxy: a dozen headers, cookies, one hop-by-hop header. */
    BROWSER("GET /account/orders?sort=date&page=3 HTTP/1.1\r\n"
            + "Host: shop.example.com\r\n"
            + "Connection: keep-alive\r\n"
            + "sec-ch-ua: \"Chromium\";v=\"130\", \"Not?A_Brand\";v=\"99\"\r\n"
            + "sec-ch-ua-mobile: ?0\r\n"
            + "sec-ch-ua-platform: \"Linux\"\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/130.0.0.0 Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
            + "Sec-Fetch-Site: same-origin\r\n"
            + "Sec-Fetch-Mode: navigate\r\n"
            + "Sec-Fetch-Dest: document\r\n"
            + "Referer: https://shop.example.com/account\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-GB,en;q=0.9,de;q=0.8\r\n"
            + "Cookie: JSESSIONID=node0a1b2c3d4e5f6g7h8i9j0k.node0; teal=v1.blue.1763683200.q2Xy9c; _ga=GA1.1.12345\r\n"
            + "X-Forwarded-For: 198.51.100.23\r\n"
            + "\r\n");

    private final byte[] bytes;

    RequestHeads(String head) {
        this.bytes = head.getBytes(StandardCharsets.US_ASCII);
    }

    byte[] bytes() {
        return bytes.clone();
    }
}
