/** The console client: the HTTP client of the API, following a room, saved logins, and safe display of text. */
package io.consolechat.client;
