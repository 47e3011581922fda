/* The course_credits XBlock, Studio editor: saves through the update_settings handler. */
function CourseCreditsStudioView(runtime, element) {
  "use strict";
  var root = element && element.jquery ? element[0] : element;
  var editor = root.querySelector(".course-credits-editor") || root;
  var heading = editor.querySelector("input[name=heading]");
  var showStatus = editor.querySelector("input[name=show_learner_status]");
  var message = editor.querySelector(".course-credits-message");

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function fail(text) {
    message.textContent = text || editor.getAttribute("data-failed");
    if (runtime.notify) {
      runtime.notify("error", {title: editor.getAttribute("data-failed"), message: message.textContent});
    }
  }

  editor.querySelector(".course-credits-save").addEventListener("click", function () {
    message.textContent = "";
    if (runtime.notify) {
      runtime.notify("save", {state: "start", message: editor.getAttribute("data-saving")});
    }
    fetch(runtime.handlerUrl(root, "update_settings"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify({heading: heading.value, show_learner_status: showStatus.checked})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          fail(data.error);
          return;
        }
        if (runtime.notify) {
          runtime.notify("save", {state: "end"});
        }
      });
    }).catch(function () {
      fail();
    });
  });

  editor.querySelector(".course-credits-cancel").addEventListener("click", function () {
    if (runtime.notify) {
      runtime.notify("cancel", {});
    }
  });
}
