// Sharing an appeal, enhanced: the phone's own share sheet where the browser has one, and
// copying the link. Both buttons stay hidden without JavaScript or without the browser
// feature; the plain links beside them always work.
(function () {
  "use strict";

  function announce(status, message) {
    // Emptied first, so that the same message is read out again on a second press.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 100);
  }

  document.querySelectorAll("[data-share]").forEach(function (section) {
    var url = section.dataset.shareUrl;
    var status = section.querySelector("[data-share-status]");
    var nativeButton = section.querySelector("[data-share-native]");
    var copyButton = section.querySelector("[data-share-copy]");

    if (nativeButton && typeof navigator.share === "function") {
      nativeButton.hidden = false;
      nativeButton.addEventListener("click", function () {
        navigator
          .share({ title: section.dataset.shareTitle, text: section.dataset.shareText, url: url })
          .catch(function () {
            // Closing the share sheet is not an error worth telling anyone about.
          });
      });
    }

    if (copyButton && navigator.clipboard && window.isSecureContext) {
      copyButton.hidden = false;
      copyButton.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(
          function () {
            announce(status, "Link copied. Paste it into a message or a post.");
          },
          function () {
            announce(status, "Your browser did not let us copy the link. The link is " + url);
          }
        );
      });
    }
  });
})();
